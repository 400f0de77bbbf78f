"""Resetting a forgotten password, for staff and clients alike.

Django's reset views and token (signed, for one user, spent by the change it makes, expiring
after `PASSWORD_RESET_TIMEOUT`, an hour) with two differences: the email goes through the
practice's outbox like every other message, and its link is made only when that email is sent
(`fascia.links`), so the outbox never holds a live reset link. The page answers the same for an
address with an account and one without.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from fascia.accounts.practice_context import practice_of_person
from fascia.links import absolute, link_marker
from fascia.notifications.models import Channel
from fascia.notifications.outbox import Message, email_person


def reset_link_url(user_id: int) -> str:
    """The reset link, made as the email goes out (settings.FASCIA_LINKS["password-reset"])."""
    user = get_user_model().objects.get(pk=user_id)
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return absolute(reverse("public:password-reset-confirm", args=[uid, token]))


class OutboxPasswordResetForm(PasswordResetForm):
    def get_users(self, email: str) -> Iterator[Any]:
        """Active accounts with this address, including one opened by a booking link that
        has not chosen a password yet (following the emailed link proves the address)."""
        return iter(get_user_model().objects.filter(email__iexact=email.strip(), is_active=True))

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        user = context["user"]
        body = "\n".join(
            [
                _("Someone, probably you, asked to reset the password of your Fascia account."),
                "",
                _("To choose a new password, follow this link within an hour (it works once):"),
                link_marker("password-reset", user.pk),
                "",
                _("If this was not you, ignore this email: your password stays as it is."),
            ]
        )
        subject = _("Reset your password")
        email_person(
            practice_of_person(user),
            Message(channel=Channel.EMAIL, to=to_email, subject=subject, body=body),
        )
