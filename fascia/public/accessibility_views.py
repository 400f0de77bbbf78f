"""The accessibility statement (linked from every page's footer) and the feedback form a
practice receives: about a barrier on its pages, or asking for a document (a receipt, a
statement, a home-care plan) in another format. Feedback lands in the practice's website
messages (`website.actions.receive_contact_message`, topic "accessibility")."""

from __future__ import annotations

from datetime import date

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fascia.accounts.access import PUBLIC, access
from fascia.practices.models import Practice
from fascia.public.site_views import ContactForm, site_context, take_message
from fascia.website.models import ContactMessage

# Barriers we know of, with the date each was found: the statement lists them honestly.
KNOWN_EXCEPTIONS = (
    (
        date(2026, 12, 6),
        gettext_lazy(
            "PDF documents (receipts, statements, home-care plans) are not yet tagged for "
            "screen readers. Ask the practice for the same document as accessible HTML or large "
            "print with the form below."
        ),
    ),
    (
        date(2026, 12, 6),
        gettext_lazy(
            "Moving an appointment by dragging it on the staff calendar needs a mouse or touch; "
            "the appointment's own dialog and the calendar's list view do the same with a "
            "keyboard."
        ),
    ),
    (
        date(2026, 12, 6),
        gettext_lazy(
            "What a practice writes itself (its services, biographies, policies and exercise "
            "library) appears in the language the practice wrote it in; Fascia's own words are "
            "in English and French."
        ),
    ),
)


@access(PUBLIC)
def statement(request: HttpRequest) -> HttpResponse:
    slug = request.GET.get("practice", "")
    practice = Practice.objects.filter(slug=slug).first() if slug else None
    return render(
        request,
        "public/accessibility.html",
        {"known_exceptions": KNOWN_EXCEPTIONS, "feedback_practice": practice},
    )


class AccessibilityFeedbackForm(ContactForm):
    page = forms.CharField(
        label=gettext_lazy("Which page or document? (optional)"),
        max_length=200,
        required=False,
    )

    field_order = ["name", "email", "phone", "page", "message", "homepage"]


@access(PUBLIC)
def feedback(request: HttpRequest, slug: str) -> HttpResponse:
    practice = get_object_or_404(Practice, slug=slug)
    form = AccessibilityFeedbackForm(request.POST if request.method == "POST" else None)
    form.fields["message"].help_text = gettext_lazy(
        "Tell us what got in your way, or which document you need and in what format (large "
        "print, accessible HTML, read over the phone…)."
    )
    refused, status = "", 200
    if request.method == "POST":
        page = form.cleaned_data["page"].strip() if form.is_valid() else ""
        sent, refused, status = take_message(
            request, practice, form, topic=ContactMessage.Topic.ACCESSIBILITY, heading=page
        )
        if sent:
            return redirect("public:site-contact-sent", slug=practice.slug)
    context = site_context(
        request,
        practice,
        page="contact",
        title=_("Accessibility feedback"),
        description=_("Tell %(practice)s about a barrier, or ask for a document in another format.")
        % {"practice": practice.public_name},
    )
    context.update(form=form, refused=refused)
    return render(request, "public/site/accessibility_feedback.html", context, status=status)
