"""The admin app, using Fascia's practice-scoped admin site (kept apart from admin_site.py,
which imports models and so cannot load before the app registry)."""

from django.contrib.admin.apps import AdminConfig


class FasciaAdminConfig(AdminConfig):
    default_site = "fascia.admin_site.FasciaAdminSite"
