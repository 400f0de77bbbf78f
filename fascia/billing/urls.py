from django.urls import path

from fascia.billing import account_views, checkout_views, views

app_name = "billing"
urlpatterns = [
    path("clients/<int:client_id>/billing/", views.client_billing, name="client"),
    path(
        "clients/<int:client_id>/billing/visits/<int:appointment_id>/invoice/",
        account_views.invoice_visit,
        name="invoice-visit",
    ),
    path(
        "clients/<int:client_id>/billing/invoices/<int:invoice_id>/payments/",
        account_views.take_payment,
        name="take-payment",
    ),
    path(
        "clients/<int:client_id>/billing/invoices/<int:invoice_id>/refunds/",
        account_views.give_refund,
        name="give-refund",
    ),
    path(
        "clients/<int:client_id>/billing/invoices/<int:invoice_id>/receipt/",
        account_views.issue_receipt,
        name="issue-receipt",
    ),
    path(
        "clients/<int:client_id>/billing/invoices/<int:invoice_id>/cancel/",
        account_views.cancel_invoice,
        name="cancel-invoice",
    ),
    path(
        "clients/<int:client_id>/billing/receipts/<int:receipt_id>/email/",
        account_views.email_receipt,
        name="email-receipt",
    ),
    path(
        "clients/<int:client_id>/billing/receipts/<int:receipt_id>/correction/",
        account_views.correct_receipt,
        name="correct-receipt",
    ),
    path(
        "clients/<int:client_id>/billing/policies/",
        account_views.add_policy,
        name="add-policy",
    ),
    path(
        "clients/<int:client_id>/billing/policies/<int:policy_id>/end/",
        account_views.end_policy,
        name="end-policy",
    ),
    path(
        "clients/<int:client_id>/billing/referrals/",
        account_views.file_referral,
        name="file-referral",
    ),
    path("clients/<int:client_id>/billing/sales/", account_views.sell, name="sell"),
    path(
        "clients/<int:client_id>/billing/statement.pdf",
        views.account_statement_view,
        name="account-statement",
    ),
    path("receipts/<int:receipt_id>.pdf", views.receipt_pdf_view, name="receipt-pdf"),
    path("referrals/<int:referral_id>/", views.referral_file, name="referral"),
    path("visits/<int:appointment_id>/checkout/", checkout_views.checkout, name="checkout"),
    path(
        "visits/<int:appointment_id>/checkout/receipts/<int:receipt_id>/email/",
        checkout_views.email_checkout_receipt,
        name="checkout-email",
    ),
    path("cash-out/", checkout_views.cash_out_view, name="cash-out"),
    path("reports/", views.reports, name="reports"),
    path("reports/statements.zip", views.year_end_statements, name="statements"),
]
