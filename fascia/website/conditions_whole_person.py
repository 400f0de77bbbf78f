"""Conditions guide pages: the whole person (widespread pain, stress and sleep, pregnancy,
cancer care, multiple sclerosis)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from fascia.practices.modalities import Modality
from fascia.website.guide import Condition, Precaution

WHOLE_PERSON: tuple[Condition, ...] = (
    Condition(
        "fibromyalgia",
        _("Fibromyalgia"),
        _("Gentle massage therapy for widespread fibromyalgia pain, sleep and mood."),
        _(
            "Fibromyalgia is long-lasting pain in many parts of the body, with tiredness, poor "
            "sleep and trouble concentrating. The nervous system turns pain signals up, so "
            "touch that would not usually hurt can."
        ),
        (
            _("Ease pain and stiffness with gentle pressure you control."),
            _("Improve sleep and mood."),
            _("Give you a calm hour that lowers the body's stress response."),
        ),
        _(
            "Massage does not cure fibromyalgia, and deep pressure can cause a flare: expect "
            "gentle work, adjusted visit by visit."
        ),
        (Modality.SWEDISH, Modality.MYOFASCIAL_RELEASE, Modality.HYDROTHERAPY),
        (
            Precaution(
                _("Pain relievers taken today blunt feedback: tell your therapist."),
                "pain_relievers",
            ),
        ),
        (Modality.SWEDISH, Modality.MYOFASCIAL_RELEASE),
    ),
    Condition(
        "stress-and-sleep",
        _("Stress and sleep"),
        _("How massage therapy calms the body's stress response and helps you sleep."),
        _(
            "Long-lasting stress keeps the body on alert: tight muscles, shallow breathing, "
            "poor sleep and a shorter temper. Poor sleep in turn makes pain feel worse."
        ),
        (
            _("Slow the heart rate and breathing and ease muscle tension."),
            _("Help you fall asleep more easily on the nights after treatment."),
            _("Give you a regular, quiet hour that is about you."),
        ),
        _(
            "Massage is not a treatment for anxiety or depression; it can sit beside the care "
            "of your physician or counsellor."
        ),
        (Modality.SWEDISH, Modality.MYOFASCIAL_RELEASE, Modality.HYDROTHERAPY),
        (
            Precaution(
                _("High or low blood pressure: tell your therapist; you will get up slowly."),
                "heart_or_blood_pressure",
            ),
        ),
        (Modality.SWEDISH, Modality.HOT_STONE),
    ),
    Condition(
        "pregnancy",
        _("Pregnancy"),
        _("Prenatal massage therapy: comfort for the back, hips and legs, safely positioned."),
        _(
            "As the baby grows, posture changes, the low back and hips work harder, legs and "
            "feet swell, and sleep gets harder. Massage adapted to pregnancy is done side-lying "
            "or with support, never flat on the belly."
        ),
        (
            _("Ease low back, hip and pelvic aches."),
            _("Reduce swelling and heaviness in the legs."),
            _("Help with sleep and with stress."),
        ),
        _("Massage does not replace prenatal care, and it is not used to start labour."),
        (Modality.SWEDISH, Modality.MYOFASCIAL_RELEASE, Modality.LYMPHATIC_DRAINAGE),
        (
            Precaution(
                _(
                    "Bleeding, cramping or sudden swelling of the face, hands or legs: do not "
                    "book; call your prenatal care provider today."
                ),
                "pregnancy_warning_signs",
                physician_first=True,
            ),
            Precaution(
                _(
                    "Say you are pregnant on your health history: your therapist positions you "
                    "on your side and avoids some points and deep work on the legs."
                ),
                "pregnancy",
            ),
        ),
        (Modality.PRENATAL, Modality.SWEDISH),
    ),
    Condition(
        "cancer-care",
        _("Cancer care"),
        _("Gentle massage therapy during and after cancer treatment, with your team's approval."),
        _(
            "Cancer and its treatment bring pain, tiredness, anxiety, swelling after lymph "
            "nodes are removed, and stiffness around scars. Massage adapted to cancer care is "
            "gentle and works with the treating team."
        ),
        (
            _("Ease pain, nausea, tiredness and anxiety."),
            _("Help manage lymphoedema with manual lymphatic drainage, where trained."),
            _("Soften scars and tight tissue after surgery or radiation, once healed."),
        ),
        _("Massage does not treat cancer or stop it spreading."),
        (Modality.SWEDISH, Modality.LYMPHATIC_DRAINAGE, Modality.MYOFASCIAL_RELEASE),
        (
            Precaution(
                _(
                    "No deep pressure over a tumour or where cancer has spread to bone; your "
                    "therapist may ask your oncologist first."
                ),
                "tumour_site",
            ),
            Precaution(
                _(
                    "During chemotherapy or radiation: pressure and areas are adjusted to your "
                    "blood counts and skin."
                ),
                "cancer_treatment",
            ),
        ),
        (Modality.LYMPHATIC_DRAINAGE, Modality.SWEDISH),
    ),
    Condition(
        "multiple-sclerosis",
        _("Multiple sclerosis"),
        _("Massage therapy for the stiffness, spasm and fatigue of multiple sclerosis."),
        _(
            "Multiple sclerosis (MS) affects the nerves of the brain and spinal cord. It can "
            "bring muscle stiffness and spasms, fatigue, pain, and changes in sensation and "
            "balance, in flares or steadily."
        ),
        (
            _("Ease spasm and stiffness so that moving and stretching are easier."),
            _("Reduce pain and help with fatigue and mood."),
            _("Keep joints moving where muscles are weak."),
        ),
        _("Massage does not change the course of MS."),
        (Modality.SWEDISH, Modality.JOINT_MOBILIZATION, Modality.REHABILITATION),
        (
            Precaution(
                _("Heat can worsen MS symptoms: hydrotherapy stays cool or neutral."),
            ),
            Precaution(
                _("Reduced feeling: your therapist adjusts pressure and checks in often."),
                "reduced_sensation",
            ),
        ),
        (Modality.SWEDISH, Modality.REHABILITATION, Modality.GERIATRIC),
    ),
)
