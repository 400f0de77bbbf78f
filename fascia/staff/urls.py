from django.urls import path

from fascia.audit import views as audit_views
from fascia.staff import (
    client_views,
    professional_views,
    setup_views,
    team_views,
    views,
    website_views,
)

app_name = "staff"
urlpatterns = [
    path("", views.home, name="home"),
    path("calendar/", views.calendar, name="calendar"),
    path("calendar/list/", views.schedule_list, name="schedule-list"),
    path("visits/<int:appointment_id>/check-in/", views.check_in, name="check-in"),
    path("therapists/<int:therapist_id>/calendar-feed/", views.calendar_feed, name="calendar-feed"),
    path("clients/", views.client_list, name="client-list"),
    path("clients/new/", views.client_create, name="client-create"),
    path("clients/<int:client_id>/", client_views.client_detail, name="client-detail"),
    path("clients/<int:client_id>/messages/", client_views.client_message, name="client-message"),
    path(
        "clients/<int:client_id>/health-history-form/",
        client_views.client_send_health_history,
        name="client-send-health-history",
    ),
    path("clients/<int:client_id>/edit/", views.client_edit, name="client-edit"),
    path(
        "clients/<int:client_id>/online-account/",
        views.invite_client_online_view,
        name="client-online-account",
    ),
    path("therapists/", views.therapist_list, name="therapist-list"),
    path("services/", views.service_list, name="service-list"),
    path("locations/", views.location_list, name="location-list"),
    path("professional/", professional_views.professional_overview, name="professional-overview"),
    path(
        "professional/<int:therapist_id>/",
        professional_views.professional_records,
        name="professional-records",
    ),
    path(
        "professional/certificates/<int:education_id>/",
        professional_views.certificate,
        name="education-certificate",
    ),
    path("equipment/", professional_views.equipment_list, name="equipment"),
    path(
        "equipment/<int:equipment_id>/",
        professional_views.equipment_detail,
        name="equipment-detail",
    ),
    path("team/", team_views.team, name="team"),
    path("audit/", audit_views.audit_log, name="audit-log"),
    path("team/<int:member_id>/", team_views.member, name="team-member"),
    path("team/invitations/<int:invitation_id>/", team_views.invitation, name="team-invitation"),
    path("setup/", setup_views.checklist, name="setup"),
    path("setup/website/", website_views.website, name="setup-website"),
    path("setup/conditions/", website_views.condition_pages, name="setup-conditions"),
    path("website-messages/", website_views.contact_messages, name="contact-messages"),
    path(
        "website-messages/<int:message_id>/answered/",
        website_views.contact_message_answered,
        name="contact-message-answered",
    ),
    path("setup/open-booking/", setup_views.open_booking, name="setup-open-booking"),
    path("setup/details/", setup_views.details, name="setup-details"),
    path("setup/receipts/", setup_views.receipts, name="setup-receipts"),
    path("setup/cancellation/", setup_views.cancellation, name="setup-cancellation"),
    path("setup/reminders/", setup_views.reminders, name="setup-reminders"),
    path("setup/locations/", setup_views.locations, name="setup-locations"),
    path("setup/locations/new/", setup_views.location, name="setup-location-new"),
    path("setup/locations/<int:location_id>/", setup_views.location, name="setup-location"),
    path("setup/service-areas/", setup_views.service_areas, name="setup-service-areas"),
    path("setup/service-areas/new/", setup_views.service_area, name="setup-service-area-new"),
    path("setup/service-areas/<int:area_id>/", setup_views.service_area, name="setup-service-area"),
    path("setup/services/", setup_views.services, name="setup-services"),
    path("setup/services/new/", setup_views.service, name="setup-service-new"),
    path("setup/services/<int:service_id>/", setup_views.service, name="setup-service"),
    path("setup/hours/", setup_views.hours, name="setup-hours"),
    path(
        "setup/hours/<int:therapist_id>/", setup_views.therapist_hours, name="setup-therapist-hours"
    ),
]
