"""The practice's guides for people deciding what care they need: "physiotherapy, massage or
both?" (a short questionnaire, `care_choice`) and "RMT or spa massage?". Both are public and
write nothing: the questionnaire's answers travel in the address, so the result can be shared
and nothing about a visitor's health is stored."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fascia.accounts.access import PUBLIC, access
from fascia.practices.models import Practice, Service
from fascia.public import care_choice
from fascia.public.care_choice import CareAnswers, Recommendation, recommend
from fascia.public.site_views import site_context


class CareChoiceForm(forms.Form):
    goal = forms.ChoiceField(
        label=_("What do you most want from treatment?"),
        choices=care_choice.GOALS,
        widget=forms.RadioSelect,
    )
    injury = forms.ChoiceField(
        label=_("Have you had an injury, accident or surgery?"),
        choices=care_choice.INJURIES,
        widget=forms.RadioSelect,
    )
    duration = forms.ChoiceField(
        label=_("How long has it been going on?"),
        choices=care_choice.DURATIONS,
        widget=forms.RadioSelect,
    )
    red_flags = forms.MultipleChoiceField(
        label=_("Do you have any of these now?"),
        choices=care_choice.RED_FLAGS,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    physio_now = forms.ChoiceField(
        label=_("Is a physiotherapist treating you now?"),
        choices=(("no", _("No")), ("yes", _("Yes"))),
        widget=forms.RadioSelect,
    )

    def answers(self) -> CareAnswers:
        data = self.cleaned_data
        return CareAnswers(
            goal=data["goal"],
            injury=data["injury"],
            duration=data["duration"],
            red_flags=frozenset(data["red_flags"]),
            physio_now=data["physio_now"] == "yes",
        )


def suited_service(practice: Practice, recommendation: Recommendation) -> Service | None:
    """The practice's bookable service that best suits the advice (any, failing that)."""
    services = list(
        Service.objects.for_practice(practice).filter(is_active=True, bookable_online=True)
    )
    preferred = care_choice.SUITED_MODALITIES.get(recommendation.advice, ())
    for modality in preferred:
        for service in services:
            if service.modality == modality:
                return service
    return next((s for s in services if s.modality != "consultation"), None)


@access(PUBLIC)
def physio_or_massage(request: HttpRequest, slug: str) -> HttpResponse:
    practice = get_object_or_404(Practice, slug=slug)
    form = CareChoiceForm(request.GET if "goal" in request.GET else None)
    recommendation = None
    book_url = ""
    if form.is_bound and form.is_valid():
        recommendation = recommend(form.answers(), timezone.localdate(timezone=practice.zone))
        service = suited_service(practice, recommendation) if recommendation.bookable else None
        if service is not None and practice.booking_open:
            book_url = (
                reverse("public:book-service", args=[practice.slug]) + f"#service-{service.pk}"
            )
    context = site_context(
        request,
        practice,
        page="conditions",
        title=_("Physiotherapy, massage or both?"),
        description=_(
            "Five questions that suggest massage therapy, physiotherapy, both, or seeing a "
            "physician first, with the reason."
        ),
    )
    context.update(form=form, recommendation=recommendation, book_url=book_url)
    return render(
        request,
        "public/physio_or_massage.html",
        context,
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


@access(PUBLIC)
def rmt_or_spa(request: HttpRequest, slug: str) -> HttpResponse:
    practice = get_object_or_404(Practice, slug=slug)
    context = site_context(
        request,
        practice,
        page="conditions",
        title=_("RMT or spa massage?"),
        description=_(
            "How massage by a registered massage therapist differs from a spa massage, and "
            "what happens at a first visit."
        ),
    )
    return render(request, "public/rmt_or_spa.html", context)
