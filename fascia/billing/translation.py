"""Invoice lines, described in English and in French (see `practices/translation.py`): a
client's invoice, statement and receipt read in their language."""

from modeltranslation.translator import TranslationOptions, register

from fascia.billing.models import InvoiceLine


@register(InvoiceLine)
class InvoiceLineWords(TranslationOptions):
    fields = ("description",)
