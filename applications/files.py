"""What an uploaded file really is, from its content (magic bytes), never from its name."""

from __future__ import annotations

import io
import zipfile

from portal.core.errors import DomainError

MAX_MATERIAL_BYTES = 20 * 1024 * 1024
MAX_MATERIAL_LABEL = "20 MB"
ALLOWED_LABEL = "PDF、JPG、PNG、Word（doc/docx）、Excel（xls/xlsx）"

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
OLE = "application/x-ole-storage"  # legacy .doc / .xls

SUFFIXES = {PDF: ".pdf", PNG: ".png", JPEG: ".jpg", DOCX: ".docx", XLSX: ".xlsx", OLE: ".doc"}


def sniff_content_type(head: bytes, fileobj) -> str:
    """The content type of an allowed file, or DomainError (in Chinese) for anything else."""
    if head.startswith(b"MZ") or head.startswith(b"\x7fELF"):
        raise DomainError(
            "该文件是可执行程序，不能作为申报材料上传。",
            errors={"file": f"该文件是可执行程序（即使改了扩展名），请上传{ALLOWED_LABEL}文件。"},
        )
    if head.startswith(b"%PDF"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return OLE
    if head.startswith(b"PK\x03\x04"):
        kind = _office_kind(fileobj)
        if kind:
            return kind
    raise DomainError(
        "不支持的文件类型。",
        errors={"file": f"无法识别的文件类型，仅支持{ALLOWED_LABEL}文件。"},
    )


def _office_kind(fileobj) -> str:
    """An Office Open XML file is a zip with ``[Content_Types].xml``; Word or Excel by part."""
    fileobj.seek(0)
    try:
        with zipfile.ZipFile(io.BytesIO(fileobj.read())) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        return ""
    finally:
        fileobj.seek(0)
    if "[Content_Types].xml" not in names:
        return ""
    if any(name.startswith("xl/") for name in names):
        return XLSX
    if any(name.startswith("word/") for name in names):
        return DOCX
    return ""
