"""Uploaded files are untrusted: what they are comes from their bytes, never from their name.

One place for the checks every upload path shares (材料、指标导入、部门数据、银行回单):

- ``read_limited``: refuse a file over the size limit before reading it, and read at most
  one byte more than the limit (a client may lie about ``size``);
- ``sniff``: PDF, PNG, JPEG, Word/Excel (docx/xlsx, doc/xls) by magic bytes and structure;
  an executable renamed ``.pdf`` is refused, as is anything unknown;
- ``check_ooxml``: an .xlsx/.docx is a zip. Its central directory (``infolist()``) says how
  big every member inflates to, so zip bombs are refused *without inflating anything*: total
  unpacked size, compression ratio and member count each have a limit;
- ``open_workbook``: the checks above, then refuses workbooks linking other workbooks
  (``xl/externalLinks/``) and opens with ``read_only=True, data_only=True`` so formulas are
  data (their cached values), never evaluated;
- ``safe_name``: the client's file name for display only (no directories, no control or
  direction characters) and, given the sniffed type, with that type's extension: a PDF
  uploaded as ``poly.html`` is kept and served as ``poly.pdf``. Storage names are always
  generated.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass

from portal.core.errors import DomainError

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOC = "application/msword"
XLS = "application/vnd.ms-excel"

SUFFIXES = {PDF: ".pdf", PNG: ".png", JPEG: ".jpg", DOCX: ".docx", XLSX: ".xlsx", DOC: ".doc"}
SUFFIXES[XLS] = ".xls"
LABELS = {PDF: "PDF", PNG: "PNG", JPEG: "JPG", DOCX: "Word", XLSX: "Excel", DOC: "Word"}
LABELS[XLS] = "Excel"

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
EXECUTABLE_MAGIC = (b"MZ", b"\x7fELF", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe", b"#!")


@dataclass(frozen=True)
class ArchiveLimits:
    max_unpacked_bytes: int = 100 * 1024 * 1024
    max_ratio: int = 100  # a real xlsx/docx compresses XML about 5–20:1
    max_members: int = 2000


DEFAULT_LIMITS = ArchiveLimits()


def refuse(message: str, field: str = "file") -> DomainError:
    return DomainError(message, errors={field: message})


# --- size -------------------------------------------------------------------------------


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.0f}MB"


def read_limited(file, *, max_bytes: int) -> bytes:
    """The whole upload, or a refusal when it is empty or larger than ``max_bytes``."""
    size = getattr(file, "size", None)
    if size is not None and size > max_bytes:
        raise refuse(f"文件大小为{size / 1024 / 1024:.1f}MB，超过{_mb(max_bytes)}上限。")
    if hasattr(file, "seek"):
        file.seek(0)
    content = file.read(max_bytes + 1)
    if len(content) > max_bytes:
        raise refuse(f"文件超过{_mb(max_bytes)}上限。")
    if not content:
        raise refuse("上传的文件是空的。")
    return content


# --- zip archives (xlsx, docx) ----------------------------------------------------------


def check_ooxml(source, *, limits: ArchiveLimits = DEFAULT_LIMITS) -> set[str]:
    """The member names of a zip that is safe to open; a refusal for a bomb or a broken zip.

    Only the central directory is read: the sizes it declares are what a reader would have
    to inflate, and zipfile itself stops with an error if a member inflates to more than its
    declared size, so a lying header cannot get past this check later.
    """
    fileobj = io.BytesIO(source) if isinstance(source, bytes | bytearray) else source
    start = fileobj.tell() if hasattr(fileobj, "tell") else 0
    try:
        with zipfile.ZipFile(fileobj) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as exc:
        raise refuse("该文件已损坏或不是有效的 Office 文档（.xlsx/.docx），无法读取。") from exc
    finally:
        if hasattr(fileobj, "seek"):
            fileobj.seek(start)
    if len(infos) > limits.max_members:
        raise refuse("该文件包含的部件过多，不像是正常的 Office 文档，已拒绝。")
    unpacked = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos)
    if unpacked > limits.max_unpacked_bytes:
        raise refuse(
            f"该文件解压后超过{_mb(limits.max_unpacked_bytes)}（可能是“压缩炸弹”），已拒绝。"
        )
    if (
        any(
            i.file_size > limits.max_ratio * max(i.compress_size, 1) and i.file_size > 1024 * 1024
            for i in infos
        )
        or unpacked > limits.max_ratio * max(packed, 1) + 1024 * 1024
    ):
        raise refuse("该文件的压缩比异常（可能是“压缩炸弹”），已拒绝。")
    return {i.filename for i in infos}


def _ooxml_kind(names: set[str]) -> str:
    if "[Content_Types].xml" not in names:
        return ""
    if "xl/workbook.xml" in names:
        return XLSX
    if "word/document.xml" in names:
        return DOCX
    return ""


# --- legacy Office (doc, xls) -----------------------------------------------------------

_WORD_STREAM = "WordDocument".encode("utf-16-le")
_EXCEL_STREAMS = ("Workbook".encode("utf-16-le"), "Book".encode("utf-16-le") + b"\0\0")


def _ole_kind(fileobj) -> str:
    """Word or Excel by the stream names in the compound file's directory (UTF-16 names);
    other compound files (.msi installers, .msg, …) are not documents and are refused."""
    fileobj.seek(0)
    tail = b""
    kind = ""
    while chunk := fileobj.read(1024 * 1024):
        window = tail + chunk
        if _WORD_STREAM in window:
            kind = DOC
            break
        if any(s in window for s in _EXCEL_STREAMS):
            kind = XLS
            break
        tail = window[-32:]
    fileobj.seek(0)
    return kind


# --- type -------------------------------------------------------------------------------


def sniff(fileobj, *, allowed: frozenset[str] | set[str] | None = None) -> str:
    """The content type of ``fileobj`` from its bytes; a refusal (in Chinese) otherwise.

    ``allowed`` narrows the accepted types (default: all of PDF/PNG/JPEG/Office).
    """
    allowed = frozenset(allowed or SUFFIXES)
    label = "、".join(dict.fromkeys(LABELS[t] for t in SUFFIXES if t in allowed))
    fileobj.seek(0)
    head = fileobj.read(16)
    fileobj.seek(0)
    if head.startswith(EXECUTABLE_MAGIC):
        raise DomainError(
            "该文件是可执行程序，不能上传。",
            errors={"file": f"该文件是可执行程序（即使改了扩展名），请上传{label}文件。"},
        )
    kind = ""
    if head.startswith(b"%PDF-"):
        kind = PDF
    elif head.startswith(b"\x89PNG\r\n\x1a\n"):
        kind = PNG
    elif head.startswith(b"\xff\xd8\xff"):
        kind = JPEG
    elif head.startswith(OLE_MAGIC):
        kind = _ole_kind(fileobj)
    elif head.startswith(ZIP_MAGIC):
        kind = _ooxml_kind(check_ooxml(fileobj))
    if kind not in allowed:
        raise refuse(f"无法识别的文件类型或不支持的格式，仅支持{label}文件。")
    return kind


# --- workbooks --------------------------------------------------------------------------


def open_workbook(content: bytes, *, limits: ArchiveLimits = DEFAULT_LIMITS):
    """A read-only openpyxl workbook of an untrusted .xlsx, formulas as their cached values."""
    from openpyxl import load_workbook

    if not content.startswith(ZIP_MAGIC):
        raise refuse(
            "该文件不是 Excel 工作簿（.xlsx）。请在 Excel 或 WPS 中“另存为 .xlsx”后再上传；"
            "旧版 .xls、CSV 或仅改了扩展名的文件不能导入。"
        )
    names = check_ooxml(content, limits=limits)
    if "xl/workbook.xml" not in names:
        raise refuse("该文件不是 Excel 工作簿（.xlsx）（可能是改了扩展名的其他文件），无法导入。")
    if any(n.startswith("xl/externalLinks/") for n in names):
        raise refuse("该工作簿引用了其他工作簿（外部链接），请复制为数值后另存再上传。")
    try:
        return load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types on malformed workbooks
        raise refuse(
            "无法读取该 Excel 文件：文件可能已损坏或加密，请另存为 .xlsx 后再试。"
        ) from exc


# --- names ------------------------------------------------------------------------------

_UNSAFE = re.compile(r"[\x00-\x1f\x7f<>:\"|?*\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# the other spelling of a sniffed type's extension, kept as the client wrote it
_ALSO = {JPEG: ".jpeg"}
_EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,5}", re.ASCII)


def safe_name(name: object, *, kind: str | None = None, max_length: int = 255) -> str:
    """The last path component of a client's file name, for display; never a path.

    ``kind``: the sniffed content type. The name then ends with its extension (kept when the
    client's already says so, in any case; an other extension is replaced, none is added),
    so a browser or a desktop that trusts extensions opens the file as what it is.
    """
    text = unicodedata.normalize("NFC", str(name or ""))
    text = text.replace("\\", "/").rsplit("/", 1)[-1]
    text = _UNSAFE.sub("", text).strip().lstrip(".") or "upload"
    if kind is not None:
        suffix = SUFFIXES[kind]
        stem, dot, ext = text.rpartition(".")
        if dot and f".{ext.lower()}" in (suffix, _ALSO.get(kind)):
            return text[-max_length:]
        if dot and stem and _EXTENSION.fullmatch(f".{ext}"):
            text = stem  # poly.html -> poly
        return text[: max_length - len(suffix)] + suffix
    return text[-max_length:]
