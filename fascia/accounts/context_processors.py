from typing import Any

from django.http import HttpRequest


def practice(request: HttpRequest) -> dict[str, Any]:
    return {
        "current_practice": getattr(request, "practice", None),
        "staff_role": getattr(request, "staff_role", None),
        "staff_practices": getattr(request, "staff_practices", ()),
    }
