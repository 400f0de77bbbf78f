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


def ensure_starter_library(practice: Practice) -> None:
    """Give the practice the starter exercises it does not have yet (by name): done once, when
    the practice is created (and by migration 0007 for practices that had none)."""
    have = set(SelfCareExercise.objects.filter(practice=practice).values_list("name", flat=True))
    SelfCareExercise.objects.bulk_create(
        [
            SelfCareExercise(
                practice=practice,
                name=name,
                kind=kind,
                instructions=instructions,
                illustration=illustration,
                sets=sets,
                reps=reps,
                hold_seconds=hold,
                how_often=often,
            )
            for name, kind, instructions, illustration, sets, reps, hold, often in STARTER
            if name not in have
        ],
        ignore_conflicts=True,
    )
