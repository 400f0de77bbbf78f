"""The owner's pages for the practice's website (its words, photo and insurance details; which
conditions-guide pages it shows, with its notes) and the inbox of messages its contact form
received. Thin: `fascia.website.actions` saves."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fascia.accounts.access import PRACTICE_SETUP, WEBSITE_MESSAGES, access
from fascia.accounts.practice_context import PracticeRequest
from fascia.practice_words import InBothLanguages, in_both_languages
from fascia.staff.setup_views import _attach
from fascia.storage import check_picture
from fascia.website.actions import (
    WEBSITE_FIELDS,
    mark_contact_answered,
    save_website,
    set_condition_note,
)
from fascia.website.conditions import BY_SLUG
from fascia.website.models import ContactMessage, PracticeWebsite
from fascia.website.site import condition_choices, website_of


class WebsiteForm(InBothLanguages):
    photo = forms.ImageField(
        label=gettext_lazy("Photo"),
        required=False,
        help_text=gettext_lazy("PNG, JPEG or WebP, at most 2 MB: your room, your team or you."),
    )

    class Meta:
        model = PracticeWebsite
        fields = in_both_languages(PracticeWebsite, WEBSITE_FIELDS)

    def clean_photo(self) -> Any:
        photo = self.cleaned_data.get("photo")
        if photo and hasattr(photo, "content_type"):  # a new upload, not the stored file
            check_picture(photo)
        return photo


@access(PRACTICE_SETUP)
def website(request: PracticeRequest) -> HttpResponse:
    current = website_of(request.practice)
    form = WebsiteForm(request.POST or None, request.FILES or None, instance=current)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in WebsiteForm.Meta.fields}
        if not fields["photo"]:
            del fields["photo"]  # no new file: keep the photo there is
        try:
            save_website(request.practice, **fields)
        except ValidationError as error:
            _attach(form, error)
        else:
            messages.success(request, _("Your website is saved."))
            return redirect("staff:setup-website")
    return render(
        request,
        "staff/setup/website.html",
        {"form": form, "website": current, "practice": request.practice},
    )


@access(PRACTICE_SETUP)
def condition_pages(request: PracticeRequest) -> HttpResponse:
    """Every page of the conditions guide, shown or hidden on the practice's site, with its
    note. Each row saves on its own."""
    errors: dict[str, str] = {}
    if request.method == "POST":
        slug = request.POST.get("condition", "")
        note, note_fr = request.POST.get("note", ""), request.POST.get("note_fr", "")
        if len(note) > 1000 or len(note_fr) > 1000:
            errors[slug] = _("Keep the note under 1,000 characters.")
        else:
            try:
                set_condition_note(
                    request.practice,
                    slug,
                    hidden=request.POST.get("shown") != "yes",
                    note=note,
                    note_fr=note_fr,
                )
            except ValidationError as error:
                errors[slug] = " ".join(error.messages)
            else:
                messages.success(request, _("Saved: %(name)s.") % {"name": BY_SLUG[slug].name})
                return redirect("staff:setup-conditions")
    rows = condition_choices(request.practice)
    for row in rows:
        row["error"] = errors.get(row["condition"].slug, "")
        if row["error"]:
            row["note"] = request.POST.get("note", "")
            row["note_fr"] = request.POST.get("note_fr", "")
    return render(
        request,
        "staff/setup/conditions.html",
        {"rows": rows, "practice": request.practice},
        status=400 if errors else 200,
    )


@access(WEBSITE_MESSAGES)
def contact_messages(request: PracticeRequest) -> HttpResponse:
    received = ContactMessage.objects.for_practice(request.practice).select_related("answered_by")
    page = Paginator(received, 25).get_page(request.GET.get("page"))
    return render(request, "staff/contact_messages.html", {"page": page})


@access(WEBSITE_MESSAGES)
def contact_message_answered(request: PracticeRequest, message_id: int) -> HttpResponse:
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    message = get_object_or_404(
        ContactMessage.objects.for_practice(request.practice), pk=message_id
    )
    mark_contact_answered(message, request.user)  # type: ignore[arg-type]
    messages.success(request, _("Marked as answered."))
    return redirect("staff:contact-messages")
