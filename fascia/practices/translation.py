"""What a practice writes for its clients, in English and in French (django-modeltranslation):
each field below gets `<field>_en` and `<field>_fr`, and reading the field gives the reader's
language, or the other one when that is all the practice wrote."""

from modeltranslation.translator import TranslationOptions, register

from fascia.practices.models import Location, Practice, Service, Therapist


@register(Practice)
class PracticeWords(TranslationOptions):
    fields = ("cancellation_policy",)


@register(Location)
class LocationWords(TranslationOptions):
    fields = ("name", "access_notes")
    empty_values = {"name": None}  # no French name yet: none, not one more "" (unique)


@register(Service)
class ServiceWords(TranslationOptions):
    fields = ("name", "description")
    empty_values = {"name": None}


@register(Therapist)
class TherapistWords(TranslationOptions):
    fields = ("bio",)
