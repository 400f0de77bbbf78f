from django.urls import path

from fascia.mobile import views

app_name = "mobile"
urlpatterns = [
    path("my-day/", views.my_day, name="my-day"),
    path("therapists/<int:therapist_id>/day/<str:day>/", views.day_view, name="day"),
    path(
        "therapists/<int:therapist_id>/day/<str:day>/run-sheet/",
        views.run_sheet,
        name="run-sheet",
    ),
    path(
        "appointments/<int:appointment_id>/check-in/",
        views.record_check_in,
        name="check-in",
    ),
]
