from django.urls import path

from fascia.records import (
    care_views,
    note_views,
    request_views,
    retention_views,
    transfer_views,
    views,
)

app_name = "records"
urlpatterns = [
    path("clients/<int:client_id>/chart/", views.chart, name="chart"),
    path(
        "clients/<int:client_id>/record.<str:as_format>",
        views.whole_record,
        name="whole-record",
    ),
    path(
        "clients/<int:client_id>/emergency-access/",
        care_views.emergency_access,
        name="emergency-access",
    ),
    path("clients/<int:client_id>/health-history/", views.health_history, name="health-history"),
    path("clients/<int:client_id>/consents/new/", views.consent, name="consent"),
    path("clients/<int:client_id>/progress-report/", views.progress_report, name="progress-report"),
    path(
        "clients/<int:client_id>/outcomes/<slug:measure>/",
        views.outcome_measure,
        name="outcome-measure",
    ),
    path(
        "clients/<int:client_id>/questionnaires/ask/",
        views.ask_questionnaire,
        name="ask-questionnaire",
    ),
    path("appointments/<int:appointment_id>/note/", note_views.note, name="note"),
    path("appointments/<int:appointment_id>/note/start/", note_views.start, name="note-start"),
    path("appointments/<int:appointment_id>/note/save/", note_views.save, name="note-save"),
    path("appointments/<int:appointment_id>/note/sign/", note_views.sign, name="note-sign"),
    path(
        "appointments/<int:appointment_id>/note/amendments/",
        note_views.amend,
        name="note-amend",
    ),
    path(
        "appointments/<int:appointment_id>/ended-early/",
        note_views.ended_early,
        name="note-ended-early",
    ),
    path(
        "appointments/<int:appointment_id>/history-review/",
        note_views.review_history,
        name="note-history-review",
    ),
    path(
        "appointments/<int:appointment_id>/assessment/",
        note_views.record_assessment,
        name="note-assessment",
    ),
    path(
        "appointments/<int:appointment_id>/self-care/",
        note_views.give_self_care,
        name="note-self-care",
    ),
    path("records/missing/", views.missing, name="missing"),
    path("records/retention/", retention_views.retention, name="retention"),
    path("records/requests/", request_views.record_requests, name="record-requests"),
    path("records/transfers/", transfer_views.record_transfers, name="transfers"),
    path(
        "records/transfers/<int:transfer_id>/records.zip",
        transfer_views.transfer_download,
        name="transfer-download",
    ),
    path("records/requests/<int:request_id>/", request_views.record_request, name="record-request"),
    path("self-care/<int:plan_id>.pdf", views.self_care_pdf_view, name="self-care-pdf"),
]
