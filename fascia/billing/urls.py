from django.urls import path

from fascia.billing import views

app_name = "billing"
urlpatterns = [
    path("clients/<int:client_id>/billing/", views.client_billing, name="client"),
    path(
        "clients/<int:client_id>/billing/statement.pdf",
        views.account_statement_view,
        name="account-statement",
    ),
    path("receipts/<int:receipt_id>.pdf", views.receipt_pdf_view, name="receipt-pdf"),
    path("referrals/<int:referral_id>/", views.referral_file, name="referral"),
    path("reports/", views.reports, name="reports"),
    path("reports/statements.zip", views.year_end_statements, name="statements"),
]
