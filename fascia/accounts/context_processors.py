from typing import Any

from django.http import HttpRequest


def practice(request: HttpRequest) -> dict[str, Any]:
    staff_practices = getattr(request, "staff_practices", ())
    return {
        "current_practice": getattr(request, "practice", None),
        "staff_role": getattr(request, "staff_role", None),
        "staff_practices": staff_practices,
        # What the practice switcher shows: (id, public name) of each practice the person works for.
        "staff_practice_choices": tuple(
            (practice.pk, practice.public_name) for practice in staff_practices
        ),
    }
