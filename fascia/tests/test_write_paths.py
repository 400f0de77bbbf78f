"""Every write to a practice's records goes through its named action: views, API handlers,
admin classes and commands (the demo included) call the action, never the ORM. This reads the
interface code and fails on a direct write, so a shortcut cannot creep back in."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.apps import apps
from django.contrib import admin

from fascia.practices.tenancy import PracticeOwned

PACKAGE = Path(__file__).resolve().parents[1]
ORM_WRITES = {
    "create",
    "get_or_create",
    "update_or_create",
    "bulk_create",
    "bulk_update",
    "update",
    "delete",
    "save",
}

# The practice's set-up (its locations, services, therapists, working time, templates and
# self-care library) is configuration, edited as plain records by the owner's screens and the
# admin until it gets set-up actions of its own (issue 12). Every other practice record is
# written only by actions.
SETUP_MODELS = {
    "practices.practice",
    "practices.location",
    "practices.room",
    "practices.openinghours",
    "practices.servicearea",
    "practices.therapist",
    "practices.service",
    "practices.serviceduration",
    "accounts.staffmember",
    "scheduling.weeklyshift",
    "scheduling.weeklybreak",
    "scheduling.shiftchange",
    "scheduling.timeoff",
    "scheduling.trafficwindow",
    "records.notetemplate",
    "records.selfcareexercise",
}


def interface_modules() -> Iterator[Path]:
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).as_posix()
        if "/tests/" in relative or "/migrations/" in relative:
            continue
        if (
            path.name in ("views.py", "admin.py", "admin_site.py")
            or path.name.endswith("_views.py")
            or relative.startswith(("api/", "demo/"))
            or "/management/commands/" in relative
        ):
            yield path


def model_names() -> dict[str, str]:
    """Class name → app label of every practice-owned model that is not set-up."""
    return {
        model.__name__: model._meta.label_lower
        for model in apps.get_models()
        if issubclass(model, PracticeOwned) and model._meta.label_lower not in SETUP_MODELS
    }


def direct_writes(path: Path, models: dict[str, str]) -> list[str]:
    """`Model.objects….create()` and friends on a practice record, and `.save()`/`.delete()`
    on anything (an instance write; forms and formsets write instances too)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        if node.func.attr not in ORM_WRITES:
            continue
        receiver = ast.unparse(node.func.value)
        if receiver in ("router", "request.session"):  # route decorators; the session store
            continue
        queryset_write = ".objects" in receiver and receiver.split(".")[0] in models
        instance_write = node.func.attr in ("save", "delete") and ".objects" not in receiver
        if queryset_write or instance_write:
            found.append(f"{path.relative_to(PACKAGE)}:{node.lineno}: {receiver}.{node.func.attr}")
    return found


# Instance writes that touch set-up records only: the admin's inline rooms of a location, and
# the demo placing its clinic, mobile service and service areas on the map.
ALLOWED_INSTANCE_WRITES = {
    "practices/admin.py: formset.save",
    "practices/admin.py: inline_obj.save",
    "practices/admin.py: removed.delete",
    "demo/loader.py: clinic.save",
    "demo/loader.py: mobile.save",
    "demo/loader.py: area.save",
}


def test_interfaces_write_practice_records_only_through_actions() -> None:
    models = model_names()
    assert "Appointment" in models and "TreatmentNote" in models and "Invoice" in models
    offending = []
    for path in interface_modules():
        for write in direct_writes(path, models):
            where, _, call = write.rpartition(": ")
            file = where.split(":")[0]
            if f"{file}: {call}" not in ALLOWED_INSTANCE_WRITES:
                offending.append(write)
    assert offending == [], "Call the action instead:\n" + "\n".join(offending)


def test_the_admin_edits_no_practice_record_except_through_an_action() -> None:
    """An admin class for a practice record (not set-up) is read-only, or saves through the
    record's action (its own `save_model`) and never deletes."""
    for model, model_admin in admin.site._registry.items():
        label = model._meta.label_lower
        if not issubclass(model, PracticeOwned) or label in SETUP_MODELS:
            continue
        read_only = not model_admin.has_add_permission(_owner_request()) and (
            not model_admin.has_change_permission(_owner_request())
        )
        saves_through_action = "save_model" in type(model_admin).__dict__
        assert read_only or saves_through_action, f"{label}: the admin writes it directly"
        assert not model_admin.has_delete_permission(_owner_request()), f"{label}: deletable"


def _owner_request() -> Any:
    class Superuser:
        is_superuser = is_staff = is_active = is_authenticated = True

        def has_perm(self, *_: object) -> bool:
            return True

    class Request:
        user = Superuser()
        practice = None

    return Request()


def test_the_detector_sees_a_direct_write(tmp_path: Path) -> None:
    """The scan itself works: a handler that creates an appointment is caught."""
    handler = PACKAGE / "api" / "_write_path_probe.py"
    handler.write_text(
        "def book(request):\n"
        "    Appointment.objects.create(practice=request.practice)\n"
        "    note.save()\n"
    )
    try:
        writes = direct_writes(handler, model_names())
    finally:
        handler.unlink()
    assert len(writes) == 2
