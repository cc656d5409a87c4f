"""An owner's photo is refused unless it is a real JPEG/PNG/WebP within the limits, and stored without EXIF or GPS."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from PIL import Image, ImageFile

from sales.photos import clean_photo
from sales.services import photo_add
from tests import factories

GPS_IFD = 0x8825


def test_a_photo_with_gps_exif_is_stored_without_any_exif(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    listing = factories.ListingFactory(status="submitted")
    upload = factories.jpeg_bytes((800, 600), gps=True)
    assert Image.open(io.BytesIO(upload)).getexif().get_ifd(GPS_IFD)  # the upload really carries a position

    photo = photo_add(listing=listing, actor=listing.workshop.owner, data=upload)

    with photo.image.open("rb") as stored_file:
        stored = stored_file.read()
    image = Image.open(io.BytesIO(stored))
    assert image.format == "JPEG"
    assert not image.getexif()
    assert not image.getexif().get_ifd(GPS_IFD)
    assert "exif" not in image.info
    assert b"Exif" not in stored and b"Phone camera" not in stored
    assert photo.image.path.startswith(str(tmp_path))


def test_a_big_photo_is_made_at_most_1600_pixels_on_its_longer_side():
    photo = clean_photo(factories.jpeg_bytes((3200, 1200)))
    assert (photo.width, photo.height) == (1600, 600)


@pytest.mark.parametrize("image_format", ["PNG", "WEBP"])
def test_png_and_webp_photos_are_accepted_and_stored_as_jpeg(image_format):
    photo = clean_photo(factories.jpeg_bytes(image_format=image_format))
    assert Image.open(io.BytesIO(photo.content)).format == "JPEG"


def test_a_transparent_png_gets_a_white_background():
    image = Image.new("RGBA", (10, 10), (0, 0, 0, 0))
    out = io.BytesIO()
    image.save(out, format="PNG")
    photo = clean_photo(out.getvalue())
    assert Image.open(io.BytesIO(photo.content)).getpixel((5, 5))[0] > 240


def _refusal(data: bytes) -> str:
    with pytest.raises(ValidationError) as refused:
        clean_photo(data)
    return refused.value.message_dict["photo"][0]


def test_a_file_that_is_not_a_photo_is_refused_in_persian():
    assert "عکس" in _refusal(b"<?php echo 'hi'; ?>" * 10)


def test_a_gif_is_refused_although_pillow_can_read_it():
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, format="GIF")
    assert "JPEG" in _refusal(out.getvalue())


def test_a_photo_larger_than_4000_pixels_is_refused():
    out = io.BytesIO()
    Image.new("L", (4001, 10)).save(out, format="PNG")
    assert "۴٬۰۰۰" in _refusal(out.getvalue())


def test_a_file_over_3_mb_is_refused():
    assert "۳" in _refusal(b"\xff\xd8" + b"0" * (3 * 1024 * 1024))


def test_a_truncated_jpeg_is_refused_without_an_error_page(monkeypatch):
    # WeasyPrint turns Pillow's LOAD_TRUNCATED_IMAGES on for the whole process when it is imported (PDF pages);
    # then a cut photo is stored grey-padded, still re-encoded. Without it, the cut is refused.
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", False)
    data = factories.jpeg_bytes((400, 300))
    assert _refusal(data[: len(data) // 3])
