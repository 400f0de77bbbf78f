"""The massage-therapy modalities a service is and a therapist offers, in the clinic's words."""

from django.db import models


class Modality(models.TextChoices):
    SWEDISH = "swedish", "Swedish (relaxation)"
    DEEP_TISSUE = "deep_tissue", "Deep tissue"
    MYOFASCIAL_RELEASE = "myofascial_release", "Myofascial release"
    TRIGGER_POINT = "trigger_point", "Trigger point therapy"
    JOINT_MOBILIZATION = "joint_mobilization", "Joint mobilization"
    CUPPING = "cupping", "Cupping"
    HYDROTHERAPY = "hydrotherapy", "Hydrotherapy"
    SPORTS = "sports", "Sports massage"
    PRENATAL = "prenatal", "Prenatal massage"
    GERIATRIC = "geriatric", "Geriatric massage"
    REHABILITATION = "rehabilitation", "Rehabilitation massage"
    LYMPHATIC_DRAINAGE = "lymphatic_drainage", "Manual lymphatic drainage"
    HOT_STONE = "hot_stone", "Hot stone"
    TMJ = "tmj", "TMJ (jaw) treatment"
    COMPLIMENTARY_CONSULTATION = "consultation", "Complimentary consultation"


def modality_labels(values: list[str]) -> list[str]:
    labels = dict(Modality.choices)
    return [str(labels.get(value, value)) for value in values]
