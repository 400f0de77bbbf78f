"""Only what holds no health information is edited in the admin: the self-care library and
note templates. Clinical records are read and written through audited screens and the API."""

from django.contrib import admin

from fascia.practices.admin import PracticeScopedAdmin
from fascia.records.models import NoteTemplate, SelfCareExercise


@admin.register(SelfCareExercise)
class SelfCareExerciseAdmin(PracticeScopedAdmin):
    list_display = ["name", "kind", "how_often", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name"]


@admin.register(NoteTemplate)
class NoteTemplateAdmin(PracticeScopedAdmin):
    list_display = ["name"]
    search_fields = ["name"]
    allow_delete = True
