from django.urls import path

from fascia.mobile import views, week_views

app_name = "mobile"
urlpatterns = [
    path("my-day/", views.my_day, name="my-day"),
    path("mobile/week/", week_views.week_plan, name="week-plan"),
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
