from typing import Any

from fascia.scheduling.tests.conftest import open_week, week  # noqa: F401 - shared fixtures

# Each button of the billing screen posts to its own URL under the client's billing page.
BILLING_ROUTES = {
    "invoice": ("appointment", "visits/{}/invoice/"),
    "pay": ("invoice", "invoices/{}/payments/"),
    "refund": ("invoice", "invoices/{}/refunds/"),
    "receipt": ("invoice", "invoices/{}/receipt/"),
    "void": ("invoice", "invoices/{}/cancel/"),
    "email_receipt": ("receipt", "receipts/{}/email/"),
    "correct_receipt": ("receipt", "receipts/{}/correction/"),
    "end_policy": ("policy", "policies/{}/end/"),
    "policy": (None, "policies/"),
    "referral": (None, "referrals/"),
    "sale": (None, "sales/"),
}


def billing_post(web: Any, billing_url: str, data: dict[str, Any], **options: Any) -> Any:
    """Press one of the billing screen's buttons: `data["action"]` names it."""
    fields = dict(data)
    key, path = BILLING_ROUTES[fields.pop("action")]
    target = billing_url + path.format(fields.pop(key, 0) if key else "")
    return web.post(target, fields, **options)
