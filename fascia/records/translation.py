"""Self-care exercises, in English and in French (see `practices/translation.py`): a client's
home-care plan is written in their language."""

from modeltranslation.translator import TranslationOptions, register

from fascia.records.models import SelfCareExercise


@register(SelfCareExercise)
class ExerciseWords(TranslationOptions):
    fields = ("name", "instructions", "illustration", "how_often")
    empty_values = {"name": None}
