"""Printable documents: an HTML template rendered to PDF with WeasyPrint, and the response that
shows it in the browser. Used by the clinical record (self-care plans, progress reports) and
billing (receipts)."""

from __future__ import annotations

import threading
from typing import Any

from django.http import HttpResponse
from django.template.loader import render_to_string

_fonts = threading.local()


def _font_configuration() -> Any:
    """One font configuration per thread, reused: WeasyPrint builds a new one for every
    document otherwise, and each stays in memory (about 0.2 MiB a document; a batch of 5,000
    year-end statements grew past 1 GiB)."""
    from weasyprint.text.fonts import FontConfiguration

    if not hasattr(_fonts, "configuration"):
        _fonts.configuration = FontConfiguration()
    return _fonts.configuration


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    from weasyprint import HTML

    html = HTML(string=render_to_string(template, context))
    return bytes(html.write_pdf(font_config=_font_configuration()))


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    """A PDF shown in the browser (and saved under `filename`)."""
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
