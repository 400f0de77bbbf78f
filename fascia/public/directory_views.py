"""Find a therapist: on a practice's site (its own therapists) and across every practice on
this server that lists its therapists in the directory. The search is
`website.directory.find_therapists`; these views only read the form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fascia.accounts.access import PUBLIC, access
from fascia.practices.modalities import Modality
from fascia.practices.models import Gender, Practice
from fascia.public.site_views import site_context
from fascia.website.actions import check_plain_text
from fascia.website.directory import (
    Match,
    PlaceUnknown,
    TherapistSearch,
    find_therapists,
    listed_practices,
)

TECHNIQUES = [(value, label) for value, label in Modality.choices if value != "consultation"]


class TherapistSearchForm(forms.Form):
    place = forms.CharField(
        label=gettext_lazy("Town or postal code"),
        max_length=60,
        required=False,
        help_text=gettext_lazy("e.g. Milton, or L9T 2X5"),
    )
    technique = forms.ChoiceField(
        label=gettext_lazy("Technique"),
        choices=[("", gettext_lazy("Any")), *TECHNIQUES],
        required=False,
    )
    language = forms.CharField(
        label=gettext_lazy("Language"),
        max_length=40,
        required=False,
        help_text=gettext_lazy("e.g. French"),
    )
    gender = forms.ChoiceField(
        label=gettext_lazy("Therapist's gender"),
        choices=[("", gettext_lazy("Any")), *Gender.choices],
        required=False,
    )
    home_visits = forms.BooleanField(label=gettext_lazy("Visits homes"), required=False)
    direct_billing = forms.BooleanField(
        label=gettext_lazy("Bills my insurer directly"), required=False
    )
    free_this_week = forms.BooleanField(label=gettext_lazy("Has a time this week"), required=False)

    def clean_place(self) -> str:
        place: str = self.cleaned_data["place"].strip()
        check_plain_text(place, links_allowed=0)
        return place

    def clean_language(self) -> str:
        language: str = self.cleaned_data["language"].strip()
        check_plain_text(language, links_allowed=0)
        if language and not all(ch.isalpha() or ch in " -'" for ch in language):
            raise forms.ValidationError(_("Write the language's name, e.g. French."))
        return language

    def search(self) -> TherapistSearch:
        return TherapistSearch(**self.cleaned_data)


def _search(request: HttpRequest, practices: Any) -> tuple[TherapistSearchForm, list[Match], int]:
    """The form and its results; 400 when the search cannot be understood."""
    asked = any(request.GET.get(name) for name in TherapistSearchForm.base_fields)
    form = TherapistSearchForm(request.GET if asked else None)
    if not asked:
        return form, find_therapists(TherapistSearch(), practices), 200
    if not form.is_valid():
        return form, [], 400
    try:
        return form, find_therapists(form.search(), practices), 200
    except PlaceUnknown as unknown:
        form.add_error("place", str(unknown))
        return form, [], 400


@access(PUBLIC)
def practice_therapists(request: HttpRequest, slug: str) -> HttpResponse:
    """A practice's therapists, with the search to narrow them down."""
    practice = get_object_or_404(Practice, slug=slug)
    form, matches, status = _search(request, Practice.objects.filter(pk=practice.pk))
    context = site_context(
        request,
        practice,
        page="therapists",
        title=_("Our therapists"),
        description=_("The registered massage therapists of %(practice)s.")
        % {"practice": practice.public_name},
    )
    context.update(form=form, matches=matches, searched=form.is_bound)
    return render(request, "public/site/therapists.html", context, status=status)


@access(PUBLIC)
def directory(request: HttpRequest) -> HttpResponse:
    """Every listed practice's therapists: find one near you who does what you need."""
    form, matches, status = _search(request, listed_practices())
    return render(
        request,
        "public/directory.html",
        {"form": form, "matches": matches, "searched": form.is_bound},
        status=status,
    )
