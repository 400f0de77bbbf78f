"""Forms for the record's screens, built from the same data the actions check against (the
questionnaire, the body areas, the modalities)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django import forms
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from fascia.practices.modalities import Modality
from fascia.records import intake
from fascia.records.body import AREA_CHOICES
from fascia.records.models import ConsentMethod, ConsentScope, Pressure, TreatmentPlan
from fascia.records.rom import NORMAL


def section_key(title: StrOrPromise) -> str:
    """A section's name as a form-field name: "Medications and allergies" ->
    "medications_and_allergies", from its English name in whatever language the page is."""
    with translation.override("en"):
        return slugify(str(title)).replace("-", "_")


@dataclass(frozen=True)
class HistorySection:
    title: StrOrPromise
    key: str
    items: list[dict[str, Any]]
    skip: forms.BoundField
    why: forms.BoundField


class HealthHistoryForm(forms.Form):
    """One field per question, grouped in sections; each section has one "prefer not to
    answer" box and a reason, which covers the questions of the section left blank. A
    follow-up question (the surgery's date, the weeks of a pregnancy) counts only when the
    answer that opens it is given."""

    def __init__(self, *args: Any, initial_answers: dict[str, Any] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        initial_answers = initial_answers or {}
        for question in intake.QUESTIONS:
            self.fields[question.id] = _field_for(question)
            self.fields[question.id].initial = initial_answers.get(question.id)
        for title in self._titles():
            key = section_key(title)
            self.fields[f"skip_{key}"] = forms.BooleanField(
                label=_("Prefer not to answer this section"), required=False
            )
            self.fields[f"why_{key}"] = forms.CharField(
                label=_("Why (optional)"), required=False, max_length=200
            )

    @staticmethod
    def _titles() -> list[StrOrPromise]:
        return list(dict.fromkeys(question.section for question in intake.QUESTIONS))

    def sections(self) -> list[HistorySection]:
        grouped: dict[StrOrPromise, list[dict[str, Any]]] = {}
        for question in intake.QUESTIONS:
            grouped.setdefault(question.section, []).append(
                {"question": question, "field": self[question.id]}
            )
        return [
            HistorySection(
                title,
                section_key(title),
                items,
                self[f"skip_{section_key(title)}"],
                self[f"why_{section_key(title)}"],
            )
            for title, items in grouped.items()
        ]

    def answers_and_skips(self) -> tuple[dict[str, Any], dict[str, str]]:
        answers: dict[str, Any] = {}
        for question in intake.QUESTIONS:
            value = self.cleaned_data.get(question.id)
            if question.kind == "yes_no":
                value = {"yes": True, "no": False}.get(value or "")
            elif question.kind == "date" and value:
                value = value.isoformat()
            if value not in (None, "", []):
                answers[question.id] = value
        # A follow-up answered and then closed (pregnant, then "no") does not count.
        answers = {
            qid: value for qid, value in answers.items() if intake.BY_ID[qid].applies(answers)
        }
        skipped: dict[str, str] = {}
        for title in self._titles():
            key = section_key(title)
            if not self.cleaned_data.get(f"skip_{key}"):
                continue
            reason = str(self.cleaned_data.get(f"why_{key}") or _("Not given"))
            for question in intake.QUESTIONS:
                if (
                    question.section == title
                    and question.id not in answers
                    and question.applies(answers)
                ):
                    skipped[question.id] = reason
        return answers, skipped


def _field_for(question: intake.Question) -> forms.Field:
    label = question.text
    if question.kind == "choices":
        return forms.MultipleChoiceField(
            label=label,
            choices=question.choices,
            widget=forms.CheckboxSelectMultiple,
            required=False,
            help_text=question.why,
        )
    if question.kind == "yes_no":
        return forms.ChoiceField(
            label=label,
            choices=[("", "—"), ("yes", _("Yes")), ("no", _("No"))],
            required=False,
            help_text=question.why,
        )
    if question.kind == "date":
        return forms.DateField(
            label=label,
            required=False,
            widget=forms.DateInput(attrs={"type": "date"}),
            help_text=question.why,
        )
    if question.kind == "number":
        return forms.IntegerField(
            label=label, required=False, min_value=0, max_value=45, help_text=question.why
        )
    return forms.CharField(
        label=label,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=question.why,
    )


TWO_ROWS = forms.Textarea(attrs={"rows": 2})


class ConsentForm(forms.Form):
    scope = forms.ChoiceField(label=_("Scope"), choices=ConsentScope.choices)
    areas = forms.MultipleChoiceField(
        label=_("Areas"),
        choices=AREA_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The areas the consent covers (for a sensitive area, name each one)."),
    )
    nature = forms.CharField(
        label=_("Nature of the treatment"), widget=forms.Textarea(attrs={"rows": 2})
    )
    benefits = forms.CharField(label=_("Expected benefits"), widget=TWO_ROWS)
    risks = forms.CharField(
        label=_("Material risks and side effects"), widget=forms.Textarea(attrs={"rows": 2})
    )
    alternatives = forms.CharField(
        label=_("Alternatives"), widget=forms.Textarea(attrs={"rows": 2})
    )
    consequences = forms.CharField(
        label=_("Likely consequences of not having it"), widget=forms.Textarea(attrs={"rows": 2})
    )
    withdrawal_explained = forms.BooleanField(
        label=_(
            "I told the client they can withdraw consent or have treatment changed or stopped "
            "at any time"
        ),
        required=False,
    )
    given = forms.ChoiceField(
        label=_("The client's decision"),
        choices=[("yes", _("Consent given")), ("no", _("Consent refused"))],
        widget=forms.RadioSelect,
    )
    method = forms.ChoiceField(
        label=_("How consent was given"), choices=ConsentMethod.choices, widget=forms.RadioSelect
    )
    signed_name = forms.CharField(label=_("Client's printed name"), required=False, max_length=150)
    signature = forms.CharField(required=False, widget=forms.HiddenInput)
    signed_by_typing = forms.BooleanField(
        label=_("The client signs by typing their name above instead of drawing"),
        required=False,
    )


class NoteForm(forms.Form):
    subjective = forms.CharField(
        label=_("Subjective"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    objective = forms.CharField(
        label=_("Objective"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    assessment = forms.CharField(
        label=_("Assessment / action"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    plan_text = forms.CharField(
        label=_("Plan"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    areas_treated = forms.MultipleChoiceField(
        label=_("Areas treated"),
        choices=AREA_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    techniques = forms.MultipleChoiceField(
        label=_("Techniques"),
        choices=Modality.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    pressure = forms.ChoiceField(
        label=_("Pressure"), choices=[("", "—"), *Pressure.choices], required=False
    )
    client_response = forms.CharField(
        label=_("Client response"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    self_care = forms.CharField(
        label=_("Self-care given"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    body_chart = forms.CharField(required=False, widget=forms.HiddenInput)
    acknowledged_alerts = forms.MultipleChoiceField(
        label=_("Alerts acknowledged"),
        choices=[],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    plan: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=TreatmentPlan.objects.none(),
        required=False,
        label=_("Treatment plan"),
        empty_label=_("Not under a treatment plan"),
    )

    def __init__(
        self,
        *args: Any,
        alert_choices: list[tuple[str, str]],
        plans: Any = None,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        plan = self.fields["plan"]
        assert isinstance(plan, forms.ModelChoiceField)
        plan.queryset = plans if plans is not None else TreatmentPlan.objects.none()
        acknowledged = self.fields["acknowledged_alerts"]
        assert isinstance(acknowledged, forms.MultipleChoiceField)
        acknowledged.choices = alert_choices

    def clean_body_chart(self) -> list[dict[str, Any]]:
        text = self.cleaned_data.get("body_chart") or "[]"
        try:
            marks = json.loads(text)
        except ValueError as error:
            raise forms.ValidationError(_("The body chart could not be read.")) from error
        if not isinstance(marks, list):
            raise forms.ValidationError(_("The body chart could not be read."))
        return marks


class TreatmentPlanForm(forms.Form):
    goals = forms.CharField(label=_("Goals"), widget=TWO_ROWS)
    areas = forms.MultipleChoiceField(
        label=_("Areas"), choices=AREA_CHOICES, widget=forms.CheckboxSelectMultiple
    )
    techniques = forms.MultipleChoiceField(
        label=_("Techniques"), choices=Modality.choices, widget=forms.CheckboxSelectMultiple
    )
    pressure = forms.ChoiceField(label=_("Pressure"), choices=Pressure.choices)
    frequency = forms.CharField(
        label=_("Frequency"), max_length=100, help_text=_("e.g. weekly for 4 weeks, then review")
    )
    visits_planned = forms.IntegerField(label=_("Visits planned"), min_value=1, max_value=100)
    after_effects = forms.CharField(
        label=_("Expected after-effects and risks explained"), widget=TWO_ROWS
    )


class ChartBlanks:
    """The chart's empty forms (a new treatment plan, the range-of-motion movements): the same
    on every chart, so each is drawn once per process and language rather than on every
    opening (a ten-year chart is opened often; its choice lists are most of its drawing)."""

    @property
    def plan_fields(self) -> SafeString:
        return _drawn("records/_chart_blank_forms.html", get_language() or "")

    @property
    def movement_options(self) -> SafeString:
        return _drawn("records/_movement_options.html", get_language() or "")


@lru_cache(maxsize=16)
def _drawn(template: str, language: str) -> SafeString:
    return mark_safe(  # noqa: S308 - our own template's output, escaped by it
        render_to_string(template, {"plan_form": TreatmentPlanForm(), "movements": sorted(NORMAL)})
    )
