"""The massage-therapy modalities a service is and a therapist offers, in the clinic's words."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Modality(models.TextChoices):
    SWEDISH = "swedish", _("Swedish (relaxation)")
    DEEP_TISSUE = "deep_tissue", _("Deep tissue")
    MYOFASCIAL_RELEASE = "myofascial_release", _("Myofascial release")
    TRIGGER_POINT = "trigger_point", _("Trigger point therapy")
    JOINT_MOBILIZATION = "joint_mobilization", _("Joint mobilization")
    CUPPING = "cupping", _("Cupping")
    HYDROTHERAPY = "hydrotherapy", _("Hydrotherapy")
    SPORTS = "sports", _("Sports massage")
    PRENATAL = "prenatal", _("Prenatal massage")
    GERIATRIC = "geriatric", _("Geriatric massage")
    REHABILITATION = "rehabilitation", _("Rehabilitation massage")
    LYMPHATIC_DRAINAGE = "lymphatic_drainage", _("Manual lymphatic drainage")
    HOT_STONE = "hot_stone", _("Hot stone")
    TMJ = "tmj", _("TMJ (jaw) treatment")
    COMPLIMENTARY_CONSULTATION = "consultation", _("Complimentary consultation")


def modality_labels(values: list[str]) -> list[str]:
    labels = dict(Modality.choices)
    return [str(labels.get(value, value)) for value in values]
