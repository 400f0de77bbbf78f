"""Printable documents: an HTML template rendered to PDF with WeasyPrint, and the response that
shows it in the browser. Used by the clinical record (self-care plans, progress reports) and
billing (receipts)."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.template.loader import render_to_string


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    from weasyprint import HTML

    return bytes(HTML(string=render_to_string(template, context)).write_pdf())


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    """A PDF shown in the browser (and saved under `filename`)."""
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
