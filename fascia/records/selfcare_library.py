"""The starter self-care library every practice gets (and may edit in the admin)."""

from __future__ import annotations

from fascia.practices.models import Practice
from fascia.records.models import ExerciseKind, SelfCareExercise

# name, kind, instructions, illustration, sets, reps, hold seconds, how often
STARTER = [
    (
        "Upper trapezius stretch",
        ExerciseKind.STRETCH,
        "Sit tall. Drop your right ear towards your right shoulder, then gently draw the left "
        "shoulder down. Stop at a mild stretch, never pain. Repeat on the other side.",
        "A seated person tilting the head sideways, the opposite shoulder relaxed down.",
        2,
        None,
        30,
        "twice a day",
    ),
    (
        "Chin tucks",
        ExerciseKind.STRENGTHENING,
        "Sit or stand tall. Glide the chin straight back, as if making a double chin, keeping "
        "the eyes level. Hold, then relax.",
        "Side view of a head gliding straight back, eyes level.",
        2,
        10,
        5,
        "three times a day",
    ),
    (
        "Doorway chest stretch",
        ExerciseKind.STRETCH,
        "Forearms on a door frame, elbows at shoulder height. Step one foot through until you "
        "feel a stretch across the chest. Keep the low back neutral.",
        "A person in a doorway, forearms on the frame, one foot forward.",
        2,
        None,
        30,
        "twice a day",
    ),
    (
        "Hamstring stretch",
        ExerciseKind.STRETCH,
        "Lie on your back, one knee bent. Loop a towel round the other foot and raise the "
        "straight leg until you feel the back of the thigh stretch.",
        "A person lying down raising one straight leg with a towel round the foot.",
        2,
        None,
        30,
        "once a day",
    ),
    (
        "Glute bridge",
        ExerciseKind.STRENGTHENING,
        "Lie on your back, knees bent, feet flat. Squeeze the buttocks and lift the hips until "
        "knees, hips and shoulders line up. Lower slowly.",
        "A person lying on their back with hips lifted in a straight line.",
        3,
        10,
        3,
        "once a day",
    ),
    (
        "Wall angels",
        ExerciseKind.POSTURE,
        "Stand with your back against a wall, arms in a goal-post position. Slide the arms up "
        "and down, keeping contact with the wall as far as comfortable.",
        "A person against a wall, arms bent at 90 degrees, sliding upward.",
        2,
        10,
        None,
        "once a day",
    ),
    (
        "Heat for tight muscles",
        ExerciseKind.HYDROTHERAPY,
        "Apply a warm (not hot) pack or hot-water bottle wrapped in a towel to the tight area "
        "for 15 minutes. Not on numb skin, swelling or a fresh injury.",
        "A wrapped warm pack resting on the upper back.",
        None,
        None,
        None,
        "up to twice a day",
    ),
    (
        "Ice for a fresh strain",
        ExerciseKind.HYDROTHERAPY,
        "Wrap ice or a cold pack in a thin towel and apply for 10-15 minutes, then off for at "
        "least an hour. Not on numb skin or if you have poor circulation.",
        "A towel-wrapped cold pack on the ankle.",
        None,
        None,
        None,
        "every 2-3 hours for the first 2 days",
    ),
    (
        "Contrast bath for the feet",
        ExerciseKind.HYDROTHERAPY,
        "Alternate 3 minutes in warm water with 1 minute in cool water, four rounds, ending on "
        "cool. Not with diabetes-related numbness or circulation problems.",
        "Two basins, one warm and one cool, with feet moving between them.",
        None,
        None,
        None,
        "once a day",
    ),
]


WORDS = ("name", "instructions", "illustration", "how_often")  # each in English and French

# The same exercises in French, by English name: name, instructions, illustration, how often.
IN_FRENCH = {
    "Upper trapezius stretch": (
        "Étirement du trapèze supérieur",
        "Assoyez-vous bien droit. Inclinez l'oreille droite vers l'épaule droite, puis abaissez "
        "doucement l'épaule gauche. Arrêtez-vous à un étirement léger, jamais à la douleur. "
        "Faites de même de l'autre côté.",
        "Une personne assise qui incline la tête sur le côté, l'autre épaule relâchée vers le bas.",
        "deux fois par jour",
    ),
    "Chin tucks": (
        "Rentrées du menton",
        "Assis ou debout, bien droit, reculez le menton à l'horizontale, comme pour faire un "
        "double menton, le regard à l'horizontale. Tenez, puis relâchez.",
        "Une tête vue de profil qui recule à l'horizontale, le regard droit devant.",
        "trois fois par jour",
    ),
    "Doorway chest stretch": (
        "Étirement des pectoraux dans l'embrasure d'une porte",
        "Avant-bras sur le cadre de la porte, coudes à la hauteur des épaules. Avancez un pied "
        "jusqu'à sentir un étirement dans la poitrine. Gardez le bas du dos neutre.",
        "Une personne dans l'embrasure d'une porte, avant-bras sur le cadre, un pied devant.",
        "deux fois par jour",
    ),
    "Hamstring stretch": (
        "Étirement des ischio-jambiers",
        "Couché sur le dos, un genou plié, passez une serviette autour de l'autre pied et levez "
        "la jambe tendue jusqu'à sentir l'arrière de la cuisse s'étirer.",
        "Une personne couchée qui lève une jambe tendue, une serviette autour du pied.",
        "une fois par jour",
    ),
    "Glute bridge": (
        "Pont fessier",
        "Couché sur le dos, genoux pliés, pieds à plat, serrez les fessiers et soulevez le "
        "bassin jusqu'à aligner genoux, hanches et épaules. Redescendez lentement.",
        "Une personne couchée sur le dos, le bassin soulevé en ligne droite.",
        "une fois par jour",
    ),
    "Wall angels": (
        "Anges au mur",
        "Dos au mur, bras en forme de poteau de but, faites glisser les bras vers le haut et "
        "vers le bas en gardant le contact avec le mur autant que c'est confortable.",
        "Une personne dos au mur, bras pliés à 90 degrés, qui glissent vers le haut.",
        "une fois par jour",
    ),
    "Heat for tight muscles": (
        "Chaleur pour les muscles tendus",
        "Appliquez une compresse tiède (pas brûlante) ou une bouillotte enveloppée d'une "
        "serviette sur la région tendue pendant 15 minutes. Jamais sur une peau engourdie, "
        "une enflure ou une blessure récente.",
        "Une compresse chaude enveloppée posée sur le haut du dos.",
        "jusqu'à deux fois par jour",
    ),
    "Ice for a fresh strain": (
        "Glace pour une foulure récente",
        "Enveloppez de la glace ou une compresse froide dans une serviette mince et appliquez "
        "10 à 15 minutes, puis retirez-la au moins une heure. Pas sur une peau engourdie ni en "
        "cas de mauvaise circulation.",
        "Une compresse froide enveloppée d'une serviette sur la cheville.",
        "toutes les 2 à 3 heures pendant les 2 premiers jours",
    ),
    "Contrast bath for the feet": (
        "Bain contrasté pour les pieds",
        "Alternez 3 minutes dans l'eau tiède et 1 minute dans l'eau fraîche, quatre fois, en "
        "terminant par l'eau fraîche. Pas en cas d'engourdissement lié au diabète ni de "
        "problèmes de circulation.",
        "Deux bassines, l'une tiède et l'autre fraîche, les pieds passant de l'une à l'autre.",
        "une fois par jour",
    ),
}


def ensure_starter_library(practice: Practice) -> None:
    """Give the practice the starter exercises it does not have yet (by English name), in
    English and French: done once, when the practice is created (and by migration 0007 for
    practices that had none)."""
    have = set(SelfCareExercise.objects.filter(practice=practice).values_list("name_en", flat=True))
    SelfCareExercise.objects.bulk_create(
        [
            SelfCareExercise(
                practice=practice,
                kind=kind,
                sets=sets,
                reps=reps,
                hold_seconds=hold,
                # bulk_create sends no pre_save: the original columns too, by hand
                **{
                    f"{field}{suffix}": value
                    for field, english, french in zip(
                        WORDS,
                        (name, instructions, illustration, often),
                        IN_FRENCH[name],
                        strict=True,
                    )
                    for suffix, value in (("", english), ("_en", english), ("_fr", french))
                },
            )
            for name, kind, instructions, illustration, sets, reps, hold, often in STARTER
            if name not in have
        ],
        ignore_conflicts=True,
    )
