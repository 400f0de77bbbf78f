from typing import Any

from django.contrib import admin
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_noop

from fascia.audit.log import record_access
from fascia.audit.models import AuditAction
from fascia.clients.actions import register_client, update_client
from fascia.clients.forms import ClientForm
from fascia.clients.models import Client
from fascia.practices.admin import PracticeScopedAdmin


@admin.register(Client)
class ClientAdmin(PracticeScopedAdmin):
    """Saves go through the client actions, and opening a record is audited like anywhere."""

    form = ClientForm
    list_display = ["display_name", "email", "phone", "city", "created_at"]
    search_fields = ["legal_first_name", "legal_last_name", "preferred_name", "email"]
    list_filter = ["preferred_language", "city"]

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        client = self.get_object(request, object_id)
        if client is not None and request.method == "GET":
            record_access(
                practice=client.practice,
                actor=request.user,
                action=AuditAction.VIEW,
                record=client,
                request=request,
                detail=gettext_noop("admin"),
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request: HttpRequest, obj: Any, form: ModelForm, change: bool) -> None:
        fields = {name: form.cleaned_data[name] for name in form.cleaned_data}
        if change:
            original = Client.objects.get(pk=obj.pk)
            update_client(original, by=request.user, request=request, **fields)
        else:
            practice = request.practice  # type: ignore[attr-defined]
            created = register_client(practice, by=request.user, request=request, **fields)
            obj.pk = created.pk
