"""Checks of an uploaded activity photo before anything is stored."""

import io

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_PHOTO_BYTES = 5 * 1024 * 1024
MAX_PHOTOS_PER_ACTIVITY = 9
MAX_PIXELS = 40_000_000
ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png"}

PHOTO_TOO_LARGE = _("The photo is larger than 5 MB: choose a smaller one or reduce it first.")
PHOTO_NOT_AN_IMAGE = _("The file is not a JPEG or PNG photo: choose a .jpg or .png picture.")
PHOTO_TOO_MANY_PIXELS = _("The photo has too many pixels: reduce it to under 40 megapixels.")
PHOTO_LIMIT_REACHED = _("An activity keeps at most 9 photos; this one already has 9.")


def reencode_without_metadata(upload, extension: str) -> ContentFile:
    """Write the pixels again, dropping EXIF (camera GPS positions of residents included)."""
    upload.seek(0)
    with Image.open(upload) as image:
        pixels = ImageOps.exif_transpose(image)
        if extension == "jpg" and pixels.mode not in ("RGB", "L"):
            pixels = pixels.convert("RGB")
        buffer = io.BytesIO()
        pixels.save(buffer, format="JPEG" if extension == "jpg" else "PNG", quality=90)
    return ContentFile(buffer.getvalue())


def check_photo(upload) -> str:
    """Refuse what is not a real JPEG or PNG under the limits; return its extension."""
    if upload.size > MAX_PHOTO_BYTES:
        raise ValidationError({"image": PHOTO_TOO_LARGE})
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            image_format = image.format
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise ValidationError({"image": PHOTO_TOO_MANY_PIXELS})
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as error:
        raise ValidationError({"image": PHOTO_NOT_AN_IMAGE}) from error
    finally:
        upload.seek(0)
    if image_format not in ALLOWED_FORMATS:
        raise ValidationError({"image": PHOTO_NOT_AN_IMAGE})
    return ALLOWED_FORMATS[image_format]
