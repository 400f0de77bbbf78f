from django.urls import path

from fascia.records import views

app_name = "records"
urlpatterns = [
    path("clients/<int:client_id>/chart/", views.chart, name="chart"),
    path("clients/<int:client_id>/health-history/", views.health_history, name="health-history"),
    path("clients/<int:client_id>/consents/new/", views.consent, name="consent"),
    path("clients/<int:client_id>/progress-report/", views.progress_report, name="progress-report"),
    path(
        "clients/<int:client_id>/outcomes/<slug:measure>/",
        views.outcome_measure,
        name="outcome-measure",
    ),
    path("appointments/<int:appointment_id>/note/", views.note, name="note"),
    path("records/missing/", views.missing, name="missing"),
    path("self-care/<int:plan_id>.pdf", views.self_care_pdf_view, name="self-care-pdf"),
]
