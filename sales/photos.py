"""Checking and re-encoding a photo an owner uploads, before anything of it is stored.

The type is what Pillow finds inside the file, not its name or the browser's word: JPEG, PNG or WebP, at most
3 MB and 4000×4000 px (read from the header, before the pixels are decoded, so a "decompression bomb" is refused
cheaply). The stored copy is a new JPEG made from the pixels alone, at most 1600 px on its longer side: EXIF
(GPS location of her home included), XMP and comments stay behind, and a file that only pretends to be an image
cannot be served back as something else.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from core.persian import ui_number

ACCEPTED_FORMATS = frozenset({"JPEG", "PNG", "WEBP"})
MAX_UPLOAD_BYTES = 3 * 1024 * 1024
MAX_SIDE_IN = 4000
MAX_SIDE_OUT = 1600
JPEG_QUALITY = 82


@dataclass(frozen=True)
class CleanPhoto:
    content: bytes
    width: int
    height: int


def _refuse(message: str) -> ValidationError:
    return ValidationError({"photo": message}, code="photo_refused")


def clean_photo(data: bytes) -> CleanPhoto:
    """The photo re-encoded as a JPEG without metadata, or a ``ValidationError`` in Persian saying what is wrong."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise _refuse(_("The photo is larger than %(mb)s MB. Please choose a smaller photo.") % {"mb": ui_number(3)})
    try:
        image = Image.open(io.BytesIO(data))
        image_format = image.format
        width, height = image.size
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        raise _refuse(_("This file is not a photo. Please choose a JPEG, PNG or WebP photo.")) from None
    if image_format not in ACCEPTED_FORMATS:
        raise _refuse(_("Only JPEG, PNG or WebP photos are accepted."))
    if width > MAX_SIDE_IN or height > MAX_SIDE_IN:
        raise _refuse(
            _("The photo is larger than %(px)s×%(px)s pixels. Please choose a smaller photo.")
            % {"px": ui_number(MAX_SIDE_IN)}
        )
    try:
        image.load()
        # Turn the pixels as the camera's orientation tag says, since the tag itself is dropped with the EXIF.
        image = ImageOps.exif_transpose(image)
        if image.mode in ("RGBA", "LA", "P"):
            image = image.convert("RGBA")
            background = Image.new("RGB", image.size, (255, 255, 255))
            background.paste(image, mask=image.getchannel("A"))
            image = background
        elif image.mode != "RGB":
            image = image.convert("RGB")
        image.thumbnail((MAX_SIDE_OUT, MAX_SIDE_OUT))
        # A fresh image from the pixels only: nothing of the upload's info (EXIF, XMP, ICC, comments) is carried.
        clean = Image.new("RGB", image.size)
        clean.paste(image)
        out = io.BytesIO()
        clean.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise _refuse(_("This photo is damaged and cannot be read. Please choose another photo.")) from None
    return CleanPhoto(content=out.getvalue(), width=clean.width, height=clean.height)
