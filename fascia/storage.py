"""Where uploaded files that must not be public live, and the check every upload of a document
passes. Practice logos and therapist photos are public media; referral notes (health
information) and professional certificates go to protected storage, served only by
access-checked views."""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

# A document's first bytes, by kind: what an upload must start with.
DOCUMENT_SIGNATURES = {b"%PDF": "pdf", b"\x89PNG": "png", b"\xff\xd8\xff": "jpeg"}


class PrivateStorage(FileSystemStorage):
    """Files under settings.PRIVATE_MEDIA_ROOT (read when used), never MEDIA_ROOT, and with no
    URL: they are served only by access-checked views."""

    @property
    def base_location(self) -> str:
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    def url(self, name: str | None) -> str:
        raise ValueError("Private files have no public URL.")


def private_storage() -> PrivateStorage:
    return PrivateStorage()


PICTURE_FORMATS = {"PNG", "JPEG", "WEBP"}
PICTURE_MAX_BYTES = 2 * 1024 * 1024


def check_picture(upload: Any) -> None:
    """A public picture (a logo, a therapist's photo) from a Django ImageField: PNG, JPEG or
    WebP as Pillow read it (never the name or the browser's stated type), at most 2 MB."""
    if upload.size is None or upload.size > PICTURE_MAX_BYTES:
        raise ValidationError(_("The picture is larger than 2 MB."))
    image = getattr(upload, "image", None)
    if image is None or image.format not in PICTURE_FORMATS:
        raise ValidationError(_("Use a PNG, JPEG or WebP image."))


def document_kind(upload: File) -> str | None:
    """ "pdf", "png" or "jpeg" by the file's first bytes (never its name or stated type)."""
    head = upload.read(8)
    upload.seek(0)
    return next(
        (kind for signature, kind in DOCUMENT_SIGNATURES.items() if head.startswith(signature)),
        None,
    )


def check_document(upload: UploadedFile, *, max_bytes: int, field: str) -> str:
    """The upload's kind, or ValidationError on `field` if it is too large or not a PDF, PNG
    or JPEG."""
    if upload.size is None or upload.size > max_bytes:
        raise ValidationError(
            {field: _("The file must be at most %(mb)d MB.") % {"mb": max_bytes // 2**20}}
        )
    kind = document_kind(upload)
    if kind is None:
        raise ValidationError({field: _("Upload a PDF, PNG or JPEG.")})
    return kind
