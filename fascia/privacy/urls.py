from django.urls import path

from fascia.privacy import lockbox_views, views

app_name = "privacy"
urlpatterns = [
    path("privacy/breaches/", views.breach_log, name="breach-log"),
    path("privacy/breaches/<int:breach_id>/", views.breach, name="breach"),
    path("privacy/breaches/<int:breach_id>/tell/", views.tell_clients, name="tell-clients"),
    path("privacy/breaches/<int:breach_id>/told/", views.told_another_way, name="told-another-way"),
    path("privacy/breaches/statistics/<int:year>.csv", views.statistics, name="breach-statistics"),
    path("clients/<int:client_id>/lockbox/", lockbox_views.client_lockbox, name="lockbox"),
    path(
        "clients/<int:client_id>/lockbox/open/",
        lockbox_views.override,
        name="lockbox-override",
    ),
]
