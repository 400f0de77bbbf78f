"""The owner invites staff by email; the link works once, for a week, for one practice and
role; the owner resends, withdraws, changes roles and deactivates, each in the audit log."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from django.core import mail
from django.test import Client as WebClient
from django.utils import timezone

from fascia.accounts.models import Role, StaffInvitation, StaffMember, User
from fascia.audit.models import AuditEntry
from fascia.conftest import PASSWORD
from fascia.notifications.models import OutboundMessage
from fascia.notifications.outbox import deliver_due_messages
from fascia.practices.models import Therapist

NEW = "jordan@maple.test"
PROFILE = {
    "display_name": "Jordan Reyes",
    "pronouns": "they/them",
    "registration_number": "R7710",
    "registration_status": "general",
    "bio": "Sports and rehabilitation massage.",
    "languages": "English, Spanish",
    "modalities": ["sports", "deep_tissue"],
}


def _invite(web: WebClient, email: str = NEW, role: str = "therapist") -> str:
    answer = web.post("/staff/team/", {"email": email, "role": role})
    assert answer.status_code == 302, answer.content.decode()[:2000]
    return _link_sent_to(email)


def _link_sent_to(email: str) -> str:
    queued = OutboundMessage.objects.filter(to=email).latest("pk")
    assert "/accounts/invitation/" not in queued.body  # no live link waits in the outbox
    mail.outbox.clear()
    deliver_due_messages()
    sent = next(message for message in mail.outbox if message.to == [email])
    return urlsplit(next(w for w in sent.body.split() if "/accounts/invitation/" in w)).path


def test_an_invited_therapist_joins_with_a_profile_and_the_link_works_once(
    maple: Any, signed_in: Any
) -> None:
    owner = signed_in(maple.owner)
    link = _invite(owner)
    newcomer = WebClient()
    page = newcomer.get(link).content.decode()
    assert "Join Maple Massage" in page and "CMTO registration number" in page
    joined = newcomer.post(
        link, {"full_name": "Jordan Reyes", "password": PASSWORD, "role": "owner"} | PROFILE
    )
    assert joined.status_code == 302 and joined["Location"] == "/staff/"
    user = User.objects.get(email=NEW)
    member = StaffMember.objects.get(practice=maple.practice, user=user)
    assert member.role == Role.THERAPIST  # the invitation's role, whatever the form says
    therapist = Therapist.objects.get(practice=maple.practice, user=user)
    assert (therapist.pronouns, therapist.languages) == ("they/them", ["English", "Spanish"])
    assert therapist.modalities == ["sports", "deep_tissue"] and therapist.may_treat
    assert newcomer.get("/staff/").status_code == 200
    again = WebClient().get(link)
    assert again.status_code == 400 and "already used" in again.content.decode()
    assert AuditEntry.objects.filter(practice=maple.practice, detail="joined as therapist").exists()
    assert AuditEntry.objects.filter(
        practice=maple.practice, actor=maple.owner, detail=f"invited {NEW} as therapist"
    ).exists()


def test_a_weak_password_or_missing_profile_is_refused_and_nothing_is_created(
    maple: Any, signed_in: Any
) -> None:
    link = _invite(signed_in(maple.owner))
    weak = WebClient().post(link, {"full_name": "J", "password": "12345678"} | PROFILE)
    assert weak.status_code == 200 and "too common" in weak.content.decode()
    no_number = WebClient().post(
        link, {"full_name": "J", "password": PASSWORD} | PROFILE | {"registration_number": ""}
    )
    assert no_number.status_code == 200
    assert not User.objects.filter(email=NEW).exists()


def test_resending_retires_the_old_link_and_a_week_old_or_withdrawn_link_is_closed(
    maple: Any, signed_in: Any, monkeypatch: Any
) -> None:
    owner = signed_in(maple.owner)
    first = _invite(owner, role="front_desk")
    invitation = StaffInvitation.objects.get(email=NEW)
    owner.post(f"/staff/team/invitations/{invitation.pk}/", {})
    second = _link_sent_to(NEW)
    assert first != second
    assert "newer one replaced it" in WebClient().get(first).content.decode()
    assert WebClient().get(second).status_code == 200
    later = timezone.now() + timedelta(days=8)
    monkeypatch.setattr(timezone, "now", lambda: later)
    old = WebClient().get(second)
    assert old.status_code == 400 and "more than seven days ago" in old.content.decode()
    monkeypatch.undo()
    owner.post(f"/staff/team/invitations/{invitation.pk}/", {"do": "revoke"})
    assert "withdrew it" in WebClient().get(second).content.decode()


def test_an_invitation_is_for_its_address_and_practice_only(
    maple: Any, birch: Any, signed_in: Any
) -> None:
    link = _invite(signed_in(maple.owner), email=birch.owner.email, role="bookkeeper")
    # Someone else signed in cannot take it.
    stranger = signed_in(maple.client_user)
    refused = stranger.get(link)
    assert refused.status_code == 400 and "another address" in refused.content.decode()
    # The invited person, who has an account at Birch, signs in and joins Maple as bookkeeper.
    invited = WebClient()
    assert "Sign in with it" in invited.get(link).content.decode()
    invited.force_login(birch.owner)
    assert invited.post(link, {}).status_code == 302
    assert StaffMember.objects.get(practice=maple.practice, user=birch.owner).role == "bookkeeper"
    assert StaffMember.objects.get(practice=birch.practice, user=birch.owner).role == "owner"
    # Birch's owner cannot withdraw or resend Maple's invitations.
    other = StaffInvitation.objects.create(
        practice=maple.practice,
        email="x@y.test",
        role="therapist",
        invited_by=maple.owner,
        expires_at=timezone.now() + timedelta(days=7),
        token_digest="x",
    )
    birch_owner = signed_in(birch.owner)
    birch_owner.post("/accounts/switch-practice/", {"practice": birch.practice.pk})
    assert (
        birch_owner.post(f"/staff/team/invitations/{other.pk}/", {"do": "revoke"}).status_code
        == 404
    )


def test_the_owner_changes_a_role_and_deactivates_someone_who_leaves(
    maple: Any, signed_in: Any
) -> None:
    owner = signed_in(maple.owner)
    desk = StaffMember.objects.get(practice=maple.practice, user=maple.front_desk)
    owner.post(f"/staff/team/{desk.pk}/", {"role": "bookkeeper"})
    assert StaffMember.objects.get(pk=desk.pk).role == "bookkeeper"
    therapist_member = StaffMember.objects.get(practice=maple.practice, user=maple.therapist_user)
    owner.post(f"/staff/team/{therapist_member.pk}/", {"do": "deactivate"})
    assert not StaffMember.objects.get(pk=therapist_member.pk).is_active
    assert not Therapist.objects.get(pk=maple.therapist.pk).is_active
    assert not User.objects.get(pk=maple.therapist_user.pk).is_active
    signing_in = WebClient().post(
        "/accounts/sign-in/", {"username": maple.therapist_user.email, "password": PASSWORD}
    )
    assert signing_in.status_code == 200  # the form again, not the way in
    assert Therapist.objects.get(pk=maple.therapist.pk).display_name == "Maple Massage Therapist"
    details = set(
        AuditEntry.objects.filter(practice=maple.practice).values_list("detail", flat=True)
    )
    assert {"role front_desk → bookkeeper", "deactivated"} <= details
    # The last owner cannot be demoted.
    me = StaffMember.objects.get(practice=maple.practice, user=maple.owner)
    answer = owner.post(f"/staff/team/{me.pk}/", {"role": "therapist"}, follow=True)
    assert "at least one owner" in answer.content.decode()
    assert StaffMember.objects.get(pk=me.pk).role == "owner"


def test_a_therapist_joins_with_a_photo_and_a_file_that_is_not_a_picture_is_refused(
    maple: Any, signed_in: Any
) -> None:
    from io import BytesIO

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    link = _invite(signed_in(maple.owner))
    account = {"full_name": "Jordan Reyes", "password": PASSWORD}
    fake = SimpleUploadedFile("me.png", b"GIF89a not really", content_type="image/png")
    refused = WebClient().post(link, account | PROFILE | {"photo": fake})
    assert refused.status_code == 200
    assert not User.objects.filter(email=NEW).exists()
    picture = BytesIO()
    Image.new("RGB", (40, 40), "teal").save(picture, "PNG")
    photo = SimpleUploadedFile("me.png", picture.getvalue(), content_type="image/png")
    joined = WebClient().post(link, account | PROFILE | {"photo": photo})
    assert joined.status_code == 302
    therapist = Therapist.objects.get(user__email=NEW)
    assert therapist.photo.name.startswith("therapist-photos/")
    with therapist.photo.open("rb") as stored:
        assert stored.read() == picture.getvalue()
