"""portal.core.uploads and the upload paths that use it: type from content, size limits,
zip bombs refused from the central directory alone, linked workbooks, formulas as data, and
client file names that never become paths."""

from __future__ import annotations

import functools
import io
import struct
import time
import tracemalloc
import zipfile
import zlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from portal.core import uploads
from portal.core.errors import DomainError
from tests.factories.applications import EXE_BYTES, PDF_BYTES

MB = 1024 * 1024
CONTENT_TYPES = b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'


# --- building test files ----------------------------------------------------------------


def _deflated_zeros(n_mb: int) -> tuple[bytes, int]:
    """A raw deflate stream of ``n_mb`` MiB of zeros, built from one 1 MiB block repeated
    (a full flush makes blocks independent), and its CRC: nothing big is ever in memory."""
    zeros = bytes(MB)
    block = zlib.compressobj(9, zlib.DEFLATED, -15)
    one = block.compress(zeros) + block.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    for _ in range(n_mb):
        crc = zlib.crc32(zeros, crc)
    end = zlib.compressobj(9, zlib.DEFLATED, -15)
    return one * n_mb + end.compress(b"") + end.flush(), crc


def _zip(members: list[tuple[str, bytes, int, int, int]]) -> bytes:
    """A zip from (name, raw data, method, crc, uncompressed size): written by hand so a
    member can be pre-compressed (zipfile would have to deflate gigabytes itself)."""
    out, central = io.BytesIO(), []
    for name, data, method, crc, size in members:
        encoded = name.encode()
        offset = out.tell()
        header = (0x04034B50, 20, 0, method, 0, 0x21, crc, len(data), size, len(encoded), 0)
        out.write(struct.pack("<IHHHHHIIIHH", *header))
        out.write(encoded + data)
        central.append(
            struct.pack(
                "<IHHHHHHIIIHHHHHII",
                0x02014B50,
                20,
                20,
                0,
                method,
                0,
                0x21,
                crc,
                len(data),
                size,
                len(encoded),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
            + encoded
        )
    start = out.tell()
    for entry in central:
        out.write(entry)
    n, length = len(central), out.tell() - start
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, n, n, length, start, 0))
    return out.getvalue()


def _stored(name: str, data: bytes) -> tuple:
    return (name, data, zipfile.ZIP_STORED, zlib.crc32(data), len(data))


@functools.cache
def bomb_xlsx(n_mb: int) -> bytes:
    """A small .xlsx whose sheet inflates to ``n_mb`` MiB of zeros."""
    data, crc = _deflated_zeros(n_mb)
    return _zip(
        [
            _stored("[Content_Types].xml", CONTENT_TYPES),
            _stored("xl/workbook.xml", b"<workbook/>"),
            ("xl/worksheets/sheet1.xml", data, zipfile.ZIP_DEFLATED, crc, n_mb * MB),
        ]
    )


def xlsx(rows=(("指标", "期间", "数值"),), formula: str | None = None) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(list(row))
    if formula:
        book.active["D2"] = formula
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def ole(stream_name: str) -> bytes:
    """Enough of a compound file for the sniffer: the magic and a directory entry name."""
    return uploads.OLE_MAGIC + bytes(504) + stream_name.encode("utf-16-le") + bytes(64)


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


# --- zip bombs --------------------------------------------------------------------------


def test_a_gigabyte_bomb_is_refused_fast_without_inflating_it():
    content = bomb_xlsx(2048)  # 2 GiB of zeros in about 2 MB
    assert len(content) < 3 * MB
    with zipfile.ZipFile(io.BytesIO(content)) as archive:  # it is a real, valid bomb
        info = archive.getinfo("xl/worksheets/sheet1.xml")
        assert info.file_size == 2048 * MB
        with archive.open(info) as member:
            assert member.read(4 * MB) == bytes(4 * MB)
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(DomainError, match="压缩炸弹"):
            uploads.open_workbook(content)
        with pytest.raises(DomainError, match="压缩炸弹"):
            uploads.sniff(io.BytesIO(content))
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert elapsed < 1.0
    assert peak < 10 * MB  # the file is ~2 MB; inflating would need 2 GiB


def test_a_bomb_under_the_size_limit_is_refused_by_its_ratio():
    content = bomb_xlsx(50)  # 50 MiB from ~50 KB: 1000:1
    assert len(content) < 100 * 1024
    with pytest.raises(DomainError, match="压缩比异常"):
        uploads.check_ooxml(content)


def test_too_many_members_are_refused():
    members = [_stored("[Content_Types].xml", CONTENT_TYPES)]
    members += [_stored(f"xl/m{i}.xml", b"<x/>") for i in range(2100)]
    with pytest.raises(DomainError, match="部件过多"):
        uploads.check_ooxml(_zip(members))


def test_a_real_workbook_passes_and_formulas_are_data():
    content = xlsx([("指标", "期间", "数值"), ("营业收入", "2023Q1", 1)], formula="=1+1")
    book = uploads.open_workbook(content)
    try:
        rows = list(book.active.iter_rows(values_only=True))
    finally:
        book.close()
    assert rows[1][:3] == ("营业收入", "2023Q1", 1)
    assert rows[1][3] is None  # the cached value (none: never calculated); not "=1+1", not 2


def test_a_workbook_with_external_links_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx())) as source, zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            target.writestr(item, source.read(item))
        target.writestr("xl/externalLinks/externalLink1.xml", "<externalLink/>")
    with pytest.raises(DomainError, match="外部链接"):
        uploads.open_workbook(buffer.getvalue())


# --- types ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (PDF_BYTES, uploads.PDF),
        (b"\x89PNG\r\n\x1a\n" + bytes(32), uploads.PNG),
        (b"\xff\xd8\xff\xe0" + bytes(32), uploads.JPEG),
        (xlsx(), uploads.XLSX),
        (docx(), uploads.DOCX),
        (ole("WordDocument"), uploads.DOC),
        (ole("Workbook"), uploads.XLS),
    ],
)
def test_allowed_types_are_recognised_from_their_bytes(content, expected):
    assert uploads.sniff(io.BytesIO(content)) == expected


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (EXE_BYTES, "可执行程序"),  # an .exe renamed .pdf
        (b"\x7fELF\x02\x01\x01" + bytes(32), "可执行程序"),
        (b"#!/bin/sh\nrm -rf /\n", "可执行程序"),
        (b"<html><script>alert(1)</script>", "无法识别"),
        (ole("SummaryInformation"), "无法识别"),  # an .msi installer is a compound file too
        (b"PK\x03\x04broken", "已损坏"),
        (_zip([_stored("evil.txt", b"x")]), "无法识别"),  # a zip that is no Office file
    ],
)
def test_anything_else_is_refused_whatever_its_name(content, message):
    with pytest.raises(DomainError) as exc:
        uploads.sniff(io.BytesIO(content))
    assert message in exc.value.errors["file"]


def test_sniff_narrows_to_the_allowed_types():
    with pytest.raises(DomainError, match="仅支持PDF"):
        uploads.sniff(io.BytesIO(xlsx()), allowed={uploads.PDF})


def test_size_is_checked_before_reading_and_against_what_is_read():
    with pytest.raises(DomainError, match="超过1MB上限"):
        uploads.read_limited(upload("a.pdf", bytes(MB + 1)), max_bytes=MB)

    class Lying(io.BytesIO):
        size = 10  # the client says 10 bytes

    with pytest.raises(DomainError, match="超过1MB上限"):
        uploads.read_limited(Lying(bytes(2 * MB)), max_bytes=MB)
    with pytest.raises(DomainError, match="空的"):
        uploads.read_limited(upload("a.pdf", b""), max_bytes=MB)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\windows\\system32\\x.pdf", "x.pdf"),
        ("/abs/path/营业执照.pdf", "营业执照.pdf"),
        ("..", "upload"),
        ("a\x00b\r\n.pdf", "ab.pdf"),
        ("", "upload"),
    ],
)
def test_client_file_names_are_display_names_only(name, expected):
    assert uploads.safe_name(name) == expected


# --- the upload paths -------------------------------------------------------------------


@pytest.fixture
def private_storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private")},
        },
    }
    return tmp_path / "private"


@pytest.fixture
def draft(db, private_storage):
    from applications import services
    from policies.loading import policy_library_load
    from tests.factories.applications import DISTRICT_CLAUSE, GOOD_FACTS, open_window, subject_for
    from tests.factories.enterprises import enterprise_with_user

    policy_library_load()
    clause = open_window(DISTRICT_CLAUSE)
    user = enterprise_with_user().members.get().user
    application = services.application_create_draft(
        user=user,
        clause=clause,
        period="2023",
        subject=subject_for(clause),
        facts=GOOD_FACTS[clause.code],
    )
    return application, user, clause.materials[0]


def test_material_upload_never_uses_the_client_name_as_a_path(draft, private_storage, tmp_path):
    from applications import services

    application, user, item = draft
    evil = SimpleUploadedFile("x.pdf", PDF_BYTES, content_type="application/pdf")
    evil.name = "../../etc/passwd.pdf"  # set after Django's own basename() on upload
    material = services.material_upload(application=application, user=user, item=item, file=evil)
    stored = Path(material.file.path).resolve()
    assert stored.is_relative_to(private_storage.resolve())
    assert stored.parent.name == str(application.pk) and stored.suffix == ".pdf"
    assert "passwd" not in stored.name
    assert material.original_name == "passwd.pdf"
    assert not (tmp_path / "etc").exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("营业执照.pdf", EXE_BYTES, "可执行程序"),
        ("报表.xlsx", bomb_xlsx(200), "压缩炸弹"),
        ("说明.docx", _zip([_stored("[Content_Types].xml", CONTENT_TYPES)]), "无法识别"),
    ],
)
def test_material_upload_refuses_executables_bombs_and_unknown_files(draft, name, content, message):
    from applications import services
    from applications.models import Material

    application, user, item = draft
    with pytest.raises(DomainError) as exc:
        services.material_upload(
            application=application, user=user, item=item, file=upload(name, content)
        )
    assert message in exc.value.errors["file"]
    assert not Material.objects.exists()


def test_indicator_import_refuses_a_bomb(db):
    from enterprises import excel

    with pytest.raises(DomainError, match="压缩炸弹"):
        excel.read_indicator_rows(upload("指标.xlsx", bomb_xlsx(2048)))


def test_bank_return_refuses_a_bomb(db):
    from finance import excel

    with pytest.raises(DomainError, match="压缩炸弹"):
        excel.read_bank_return(upload("回单.xlsx", bomb_xlsx(2048)))


def test_department_import_refuses_a_bomb(db):
    from proactive import sources

    spec = next(iter(sources.SOURCES.values()))
    with pytest.raises(DomainError, match="压缩炸弹"):
        sources.parse_file(spec, bomb_xlsx(2048), "税务.xlsx")


# --- names: the sniffed type decides the extension --------------------------------------


@pytest.mark.parametrize(
    ("name", "kind", "expected"),
    [
        ("poly.html", uploads.PDF, "poly.pdf"),
        ("报告.PDF", uploads.PDF, "报告.PDF"),
        ("照片.jpeg", uploads.JPEG, "照片.jpeg"),
        ("照片.png", uploads.JPEG, "照片.jpg"),
        ("invoice\u202efdp.exe", uploads.PDF, "invoicefdp.pdf"),
        ("2023年报.最终版", uploads.PDF, "2023年报.最终版.pdf"),
        ("营业执照", uploads.PNG, "营业执照.png"),
        ("a.svg", uploads.XLSX, "a.xlsx"),
        ("", uploads.DOCX, "upload.docx"),
        ("x" * 300 + ".html", uploads.PDF, "x" * 251 + ".pdf"),
    ],
)
def test_a_stored_name_ends_with_the_sniffed_extension(name, kind, expected):
    assert uploads.safe_name(name, kind=kind) == expected


def test_a_polyglot_upload_keeps_no_html_name(draft, client):
    """A PDF that is also an HTML page, uploaded as poly.html: stored and served as .pdf."""
    from applications import services

    application, user, item = draft
    polyglot = PDF_BYTES + b"<html><script>alert(document.domain)</script></html>"
    upload_file = SimpleUploadedFile("poly.html", polyglot, content_type="text/html")
    material = services.material_upload(
        application=application, user=user, item=item, file=upload_file
    )
    assert (material.original_name, material.content_type) == ("poly.pdf", uploads.PDF)
    # an older row stored with the client's name is served under the safe one too
    type(material).objects.filter(pk=material.pk).update(original_name="old.html")
    client.force_login(user)
    response = client.get(f"/applications/{application.pk}/materials/{material.pk}/")
    disposition = response["Content-Disposition"]
    assert response["Content-Type"] == uploads.PDF
    assert "old.pdf" in disposition and ".html" not in disposition
