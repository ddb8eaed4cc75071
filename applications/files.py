"""What an uploaded material really is, from its content (magic bytes), never from its name.

The checks live in ``portal.core.uploads`` (shared with the Excel imports); this module keeps
the material-specific limits and the names the services and templates use.
"""

from __future__ import annotations

from portal.core import uploads

MAX_MATERIAL_BYTES = 20 * 1024 * 1024
MAX_MATERIAL_LABEL = "20 MB"
ALLOWED_LABEL = "PDF、JPG、PNG、Word（doc/docx）、Excel（xls/xlsx）"

PDF, PNG, JPEG = uploads.PDF, uploads.PNG, uploads.JPEG
DOCX, XLSX, DOC, XLS = uploads.DOCX, uploads.XLSX, uploads.DOC, uploads.XLS
SUFFIXES = uploads.SUFFIXES


def sniff_content_type(head: bytes, fileobj) -> str:
    """The content type of an allowed file, or DomainError (in Chinese) for anything else.

    ``head`` is kept for callers that already read it; the file itself is inspected (an
    Office zip's directory for bombs and parts, a compound file's streams for Word/Excel).
    """
    return uploads.sniff(fileobj)


def display_name(name: object, content_type: str | None = None) -> str:
    """The client's name to show and to download under, ending with the sniffed type's
    extension (a PDF uploaded as ``poly.html`` is ``poly.pdf``)."""
    kind = content_type if content_type in uploads.SUFFIXES else None
    return uploads.safe_name(name, kind=kind)
