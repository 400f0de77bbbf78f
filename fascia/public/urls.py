from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from fascia.accounts.access import PUBLIC, SIGNED_IN, access
from fascia.mobile import week_views
from fascia.public import (
    accessibility_views,
    account_views,
    booking_views,
    confirmation_views,
    directory_views,
    guide_views,
    intake_views,
    portal_views,
    site_views,
    views,
    waitlist_views,
)
from fascia.public.password_reset import OutboxPasswordResetForm

app_name = "public"
urlpatterns = [
    path("", views.home, name="home"),
    path("account/", views.my_account, name="my-account"),
    path(
        "account/appointments/<int:appointment_id>/cancel/",
        portal_views.cancel_own_appointment,
        name="cancel-appointment",
    ),
    path(
        "account/questionnaires/<int:questionnaire_id>/",
        portal_views.answer_own_questionnaire,
        name="questionnaire",
    ),
    path(
        "account/plans/<int:plan_id>/consent/",
        portal_views.sign_plan_consent,
        name="plan-consent",
    ),
    path(
        "account/insurance/<int:client_id>/new/",
        portal_views.add_own_policy,
        name="add-policy",
    ),
    path(
        "account/record/<int:client_id>/lockbox/",
        portal_views.own_lockbox,
        name="lockbox",
    ),
    path(
        "account/record/<int:client_id>.<str:as_format>",
        portal_views.own_whole_record,
        name="whole-record",
    ),
    path(
        "account/statements/<int:client_id>/<int:year>.pdf",
        portal_views.own_statement_pdf,
        name="statement-pdf",
    ),
    path("health/", views.health, name="health"),
    path("practices/<slug:slug>/logo/", views.practice_logo, name="practice-logo"),
    path("account/self-care/<int:plan_id>.pdf", views.own_self_care_pdf, name="self-care-pdf"),
    path("account/receipts/<int:receipt_id>.pdf", views.own_receipt_pdf, name="receipt-pdf"),
    path("intake/<str:token>/", intake_views.intake_by_link, name="intake"),
    path(
        "account/details/<int:client_id>/",
        intake_views.own_details,
        name="account-details",
    ),
    path(
        "account/health-history/<int:client_id>/",
        intake_views.intake_in_account,
        name="account-intake",
    ),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar-feed"),
    # The practice's own website, at its booking address.
    path("book/<slug:slug>/", site_views.site_home, name="site-home"),
    path("book/<slug:slug>/photo/", site_views.site_photo, name="site-photo"),
    path(
        "book/<slug:slug>/therapists/",
        directory_views.practice_therapists,
        name="site-therapists",
    ),
    path("therapists/", directory_views.directory, name="directory"),
    path(
        "book/<slug:slug>/therapists/<int:therapist_id>/",
        site_views.therapist_page,
        name="site-therapist",
    ),
    path(
        "book/<slug:slug>/therapists/<int:therapist_id>/photo/",
        site_views.therapist_photo,
        name="therapist-photo",
    ),
    path("book/<slug:slug>/locations/", site_views.locations, name="site-locations"),
    path("book/<slug:slug>/insurance/", site_views.fees_and_insurance, name="site-insurance"),
    path("book/<slug:slug>/contact/", site_views.contact, name="site-contact"),
    path("book/<slug:slug>/contact/sent/", site_views.contact_sent, name="site-contact-sent"),
    path("book/<slug:slug>/conditions/", site_views.conditions, name="site-conditions"),
    path(
        "book/<slug:slug>/conditions/<slug:condition>/",
        site_views.condition_page,
        name="site-condition",
    ),
    path("book/<slug:slug>/sitemap.xml", site_views.practice_sitemap, name="practice-sitemap"),
    path("sitemap.xml", site_views.all_sitemap, name="sitemap"),
    path("accessibility/", accessibility_views.statement, name="accessibility"),
    path(
        "book/<slug:slug>/accessibility/",
        accessibility_views.feedback,
        name="accessibility-feedback",
    ),
    path("robots.txt", site_views.robots_txt, name="robots"),
    path("book/<slug:slug>/services/", booking_views.choose_service, name="book-service"),
    path(
        "book/<slug:slug>/physio-or-massage/",
        guide_views.physio_or_massage,
        name="physio-or-massage",
    ),
    path("book/<slug:slug>/rmt-or-spa/", guide_views.rmt_or_spa, name="rmt-or-spa"),
    path("book/<slug:slug>/home-visits/", booking_views.home_visit_check, name="home-visit-check"),
    path("book/<slug:slug>/therapist/", booking_views.choose_therapist, name="book-therapist"),
    path("book/<slug:slug>/location/", booking_views.choose_location, name="book-location"),
    path("book/<slug:slug>/time/", booking_views.choose_time, name="book-time"),
    path("book/<slug:slug>/waitlist/", waitlist_views.join, name="waitlist-join"),
    path("waitlist/offers/<str:token>/", waitlist_views.offer, name="waitlist-offer"),
    path("visits/change/<str:token>/", week_views.visit_change, name="visit-change"),
    path("book/<slug:slug>/details/", booking_views.confirm_details, name="book-details"),
    path("book/<slug:slug>/booked/<int:appointment_id>/", booking_views.booked, name="booked"),
    path(
        "book/<slug:slug>/confirm/<str:token>/",
        confirmation_views.confirm,
        name="confirm-booking",
    ),
    path("account/password/", confirmation_views.choose_password, name="choose-password"),
    path("book/<slug:slug>/account/", account_views.sign_up, name="sign-up"),
    path("account/open/<str:token>/", account_views.open_account, name="open-account"),
    path(
        "account/invitation/<str:token>/",
        account_views.client_invitation,
        name="client-invitation",
    ),
    path("account/security/", account_views.account_security, name="account-security"),
    path(
        "account/email/<str:token>/",
        account_views.confirm_email_change,
        name="confirm-email-change",
    ),
    path("account/verify-email/", account_views.verify_email, name="verify-email"),
    path(
        "account/sign-out-everywhere/",
        account_views.sign_out_everywhere_view,
        name="sign-out-everywhere",
    ),
    # Changing one's password signs out every other session (their hash no longer matches).
    path(
        "account/password/change/",
        access(SIGNED_IN)(
            auth_views.PasswordChangeView.as_view(
                template_name="public/password_change.html",
                success_url=reverse_lazy("public:password-changed"),
            )
        ),
        name="password-change",
    ),
    path(
        "account/password/changed/",
        access(SIGNED_IN)(
            auth_views.PasswordChangeDoneView.as_view(template_name="public/password_changed.html")
        ),
        name="password-changed",
    ),
    # Forgotten passwords (staff and clients): Django's views, our templates and outbox.
    path(
        "account/password-reset/",
        access(PUBLIC)(
            auth_views.PasswordResetView.as_view(
                form_class=OutboxPasswordResetForm,
                template_name="public/password_reset.html",
                success_url=reverse_lazy("public:password-reset-sent"),
            )
        ),
        name="password-reset",
    ),
    path(
        "account/password-reset/sent/",
        access(PUBLIC)(
            auth_views.PasswordResetDoneView.as_view(
                template_name="public/password_reset_sent.html"
            )
        ),
        name="password-reset-sent",
    ),
    path(
        "account/password-reset/<uidb64>/<token>/",
        access(PUBLIC)(
            auth_views.PasswordResetConfirmView.as_view(
                template_name="public/password_reset_confirm.html",
                success_url=reverse_lazy("public:password-reset-complete"),
            )
        ),
        name="password-reset-confirm",
    ),
    path(
        "account/password-reset/complete/",
        access(PUBLIC)(
            auth_views.PasswordResetCompleteView.as_view(
                template_name="public/password_reset_complete.html"
            )
        ),
        name="password-reset-complete",
    ),
]
