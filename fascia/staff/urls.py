from django.urls import path

from fascia.staff import views

app_name = "staff"
urlpatterns = [
    path("", views.home, name="home"),
    path("calendar/", views.calendar, name="calendar"),
    path("therapists/<int:therapist_id>/calendar-feed/", views.calendar_feed, name="calendar-feed"),
    path("clients/", views.client_list, name="client-list"),
    path("clients/new/", views.client_create, name="client-create"),
    path("clients/<int:client_id>/", views.client_detail, name="client-detail"),
    path("clients/<int:client_id>/edit/", views.client_edit, name="client-edit"),
    path("therapists/", views.therapist_list, name="therapist-list"),
    path("services/", views.service_list, name="service-list"),
    path("locations/", views.location_list, name="location-list"),
]
