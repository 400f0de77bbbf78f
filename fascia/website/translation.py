"""The practice's own words on its site, in English and in French (see
`practices/translation.py`)."""

from modeltranslation.translator import TranslationOptions, register

from fascia.website.models import ConditionNote, PracticeWebsite


@register(PracticeWebsite)
class WebsiteWords(TranslationOptions):
    fields = ("headline", "introduction", "photo_description", "insurance_information")


@register(ConditionNote)
class ConditionNoteWords(TranslationOptions):
    fields = ("note",)
