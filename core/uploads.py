"""Uploaded files checked by content, not by name: the type is sniffed from the bytes."""
from __future__ import annotations

from dataclasses import dataclass

import filetype

# What evidence and consent scans may be, by detected MIME type → the extensions it may carry.
ALLOWED_TYPES = {
    "application/pdf": {"pdf"},
    "image/jpeg": {"jpg", "jpeg"},
    "image/png": {"png"},
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": {"docx"},
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {"xlsx"},
}
MAX_EVIDENCE_BYTES = 10 * 1024 * 1024


class UploadError(ValueError):
    """The file is refused; ``code``: empty | too_large | type_not_allowed | name_mismatch."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class CheckedFile:
    filename: str
    content_type: str
    data: bytes


def check_upload(filename: str, data: bytes, max_bytes: int = MAX_EVIDENCE_BYTES,
                 allowed: dict[str, set[str]] | None = None) -> CheckedFile:
    """The file checked by content: not empty, at most ``max_bytes``, of a type in ``allowed``
    (detected MIME type → the extensions it may carry; default ``ALLOWED_TYPES``) and named
    with one of that type's extensions."""
    allowed = ALLOWED_TYPES if allowed is None else allowed
    if not data:
        raise UploadError("empty")
    if len(data) > max_bytes:
        raise UploadError("too_large")
    kind = filetype.guess(data)
    if kind is None or kind.mime not in allowed:
        raise UploadError("type_not_allowed")
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension not in allowed[kind.mime]:
        raise UploadError("name_mismatch")  # e.g. a PNG named .pdf
    safe_name = "".join(ch for ch in filename if ch.isprintable() and ch not in '/\\"')[-200:] or f"file.{extension}"
    return CheckedFile(safe_name, kind.mime, data)
