"""Pictures are re-encoded: EXIF (GPS) gone, size bounded, type taken from the bytes."""
from __future__ import annotations

import io

import pytest
from PIL import Image

from core.images import reencode_picture
from core.uploads import UploadError


def jpeg_with_gps(size=(2400, 1200)) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (55.0, 45.0, 0.0), 3: "E", 4: (37.0, 37.0, 0.0)}  # GPSInfo
    exif[0x010F] = "Camera maker"
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_exif_and_location_are_dropped_and_the_picture_scaled():
    data = jpeg_with_gps()
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(0x8825)  # the source does carry a location
    picture = reencode_picture("фото.jpg", data, max_side=800)
    result = Image.open(io.BytesIO(picture.data))
    assert picture.content_type == "image/jpeg" and picture.filename == "фото.jpg"
    assert max(result.size) == 800 and (picture.width, picture.height) == result.size
    assert not result.getexif()
    assert b"Camera maker" not in picture.data


def test_png_with_transparency_stays_png():
    out = io.BytesIO()
    Image.new("RGBA", (10, 10), (0, 0, 0, 0)).save(out, format="PNG")
    assert reencode_picture("logo.png", out.getvalue()).content_type == "image/png"


@pytest.mark.parametrize(("name", "data", "code"), [
    ("a.jpg", b"", "empty"),
    ("a.jpg", b"x" * 20, "unreadable"),
    ("a.pdf", b"%PDF-1.4\n%%EOF\n", "unreadable"),
    ("a.png", jpeg_with_gps((10, 10)), "name_mismatch"),
])
def test_refused(name, data, code):
    with pytest.raises(UploadError) as refused:
        reencode_picture(name, data)
    assert refused.value.code == code


def test_too_large():
    with pytest.raises(UploadError) as refused:
        reencode_picture("a.jpg", jpeg_with_gps((50, 50)), max_bytes=100)
    assert refused.value.code == "too_large"


def test_a_gif_is_not_a_picture_we_take():
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, format="GIF")
    with pytest.raises(UploadError) as refused:
        reencode_picture("a.gif", out.getvalue())
    assert refused.value.code == "type_not_allowed"
