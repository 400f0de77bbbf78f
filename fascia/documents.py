"""Printable documents: an HTML template rendered to PDF with WeasyPrint, and the response that
shows it in the browser. Used by the clinical record (self-care plans, progress reports) and
billing (receipts, statements). A document is written in the client's preferred language
unless the person printing it asks for the other one (`document_language`)."""

from __future__ import annotations

import threading
from typing import Any

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation

from fascia.languages import supported

# `?document_language=fr`: print a document in French whatever the client prefers. (Not the
# site-wide `?lang=`, which would also switch the language of the pages of whoever prints it.)
DOCUMENT_LANGUAGE_PARAMETER = "document_language"

_fonts = threading.local()


def _font_configuration() -> Any:
    """One font configuration per thread, reused: WeasyPrint builds a new one for every
    document otherwise, and each stays in memory (about 0.2 MiB a document; a batch of 5,000
    year-end statements grew past 1 GiB)."""
    from weasyprint.text.fonts import FontConfiguration

    if not hasattr(_fonts, "configuration"):
        _fonts.configuration = FontConfiguration()
    return _fonts.configuration


def document_language(client: Any, request: Any = None) -> str:
    """The language to write a client's document in: the one asked for on the request
    (`?document_language=fr`: staff print in either language), else the client's preferred
    one."""
    asked = request.GET.get(DOCUMENT_LANGUAGE_PARAMETER) if request is not None else None
    return (
        supported(asked)
        or supported(getattr(client, "preferred_language", None))
        or translation.get_language()
        or "en"
    )


def render_document(template: str, context: dict[str, Any], language: str | None = None) -> str:
    """The document's HTML, in `language` (the active language when not given)."""
    with translation.override(language or translation.get_language()):
        return render_to_string(template, context)


def render_pdf(template: str, context: dict[str, Any], language: str | None = None) -> bytes:
    from weasyprint import HTML

    html = HTML(string=render_document(template, context, language))
    return bytes(html.write_pdf(font_config=_font_configuration()))


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    """A PDF shown in the browser (and saved under `filename`)."""
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
