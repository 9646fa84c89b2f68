"""Pictures for public pages (photos, news images): checked by content, then re-encoded.

Re-encoding with Pillow drops everything but the pixels — EXIF (GPS location, camera serial),
XMP, comments — and bounds the size. The type is sniffed from the bytes (Pillow), never taken
from the name; an animated or decompression-bomb image is refused.
"""
from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps

from core.uploads import UploadError

PICTURE_FORMATS = {"JPEG": {"jpg", "jpeg"}, "PNG": {"png"}, "WEBP": {"webp"}}
MAX_PICTURE_BYTES = 8 * 1024 * 1024
MAX_SIDE = 1600
MAX_PIXELS = 40_000_000  # refuse decompression bombs before decoding


@dataclass(frozen=True)
class CheckedPicture:
    filename: str
    content_type: str  # image/jpeg or image/png
    data: bytes
    width: int
    height: int


def reencode_picture(filename: str, data: bytes, *, max_bytes: int = MAX_PICTURE_BYTES,
                     max_side: int = MAX_SIDE) -> CheckedPicture:
    """The picture re-encoded (JPEG, or PNG when it has transparency), EXIF-free, at most
    ``max_side`` pixels on its longer side. Raises ``UploadError``: empty | too_large |
    type_not_allowed | name_mismatch | unreadable."""
    if not data:
        raise UploadError("empty")
    if len(data) > max_bytes:
        raise UploadError("too_large")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            source_format = image.format
            if source_format not in PICTURE_FORMATS:
                raise UploadError("type_not_allowed")
            if image.width * image.height > MAX_PIXELS or getattr(image, "n_frames", 1) > 1:
                raise UploadError("unreadable")
            image.load()
    except UploadError:
        raise
    except (OSError, ValueError, Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise UploadError("unreadable") from exc
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension not in PICTURE_FORMATS[source_format]:
        raise UploadError("name_mismatch")
    image = ImageOps.exif_transpose(image)  # keep the orientation the EXIF asked for, then drop it
    image.thumbnail((max_side, max_side))
    transparent = image.mode in ("RGBA", "LA", "P") and (image.mode != "P" or "transparency" in image.info)
    out = io.BytesIO()
    if transparent:
        image = image.convert("RGBA")
        image.save(out, format="PNG", optimize=True)
        content_type, suffix = "image/png", "png"
    else:
        image = image.convert("RGB")
        image.save(out, format="JPEG", quality=85, optimize=True, progressive=True)
        content_type, suffix = "image/jpeg", "jpg"
    stem = "".join(ch for ch in filename.rsplit(".", 1)[0] if ch.isprintable() and ch not in '/\\"')[-150:] or "image"
    return CheckedPicture(f"{stem}.{suffix}", content_type, out.getvalue(), image.width, image.height)
