"""The client's side of the waitlist: asking for an earlier time, and the one-click page an
offer's email or text links to."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fascia.accounts.access import PUBLIC, SIGNED_IN, access
from fascia.practices.models import Practice
from fascia.public.booking_flow import BookingChoice, resolve
from fascia.public.booking_views import _own_client, _practice
from fascia.scheduling.booking import VisitAddress, policy_acceptance_needed
from fascia.scheduling.errors import BookingError
from fascia.scheduling.models import OfferStatus, TimeOfDay
from fascia.scheduling.waitlist import accept_waitlist_offer, join_waitlist, offer_for_token


class WaitlistForm(forms.Form):
    earliest_date = forms.DateField(
        label=gettext_lazy("From"), widget=forms.DateInput(attrs={"type": "date"})
    )
    latest_date = forms.DateField(
        label=gettext_lazy("Until"), widget=forms.DateInput(attrs={"type": "date"})
    )
    times_of_day = forms.MultipleChoiceField(
        label=gettext_lazy("Times that suit you (none ticked: any time)"),
        choices=TimeOfDay.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    street = forms.CharField(label=gettext_lazy("Street address"), max_length=200, required=False)
    city = forms.CharField(label=gettext_lazy("City"), max_length=100, required=False)


@access(SIGNED_IN)
def join(request: HttpRequest, slug: str) -> HttpResponse:
    """ "No time suits? Tell me if an earlier one frees up." For the service, therapist (or
    anyone) and place chosen in the booking steps."""
    practice: Practice = _practice(slug)
    choice = BookingChoice.from_request(request)
    chosen = resolve(practice, choice)
    client = _own_client(request, practice)
    if client is None:
        messages.error(
            request,
            _("Your login is not a client of %(public_name)s.")
            % {"public_name": practice.public_name},
        )
        return redirect("public:book-service", slug=slug)
    if chosen.location is None:
        return redirect("public:book-location", slug=slug)
    today = timezone.localdate(timezone=practice.zone)
    form = WaitlistForm(
        request.POST or None,
        initial={"earliest_date": today, "latest_date": today + timedelta(days=14)},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        address = (
            VisitAddress(data["street"], data["city"], choice.postal_code)
            if chosen.location.is_mobile
            else None
        )
        try:
            join_waitlist(
                practice,
                client=client,
                service=chosen.service,
                minutes=choice.minutes,
                location=chosen.location,
                therapist=chosen.therapist,
                earliest=data["earliest_date"],
                latest=data["latest_date"],
                times_of_day=data["times_of_day"],
                address=address,
                by=request.user,
                request=request,
            )
        except BookingError as refused:
            form.add_error(refused.field if refused.field in form.fields else None, refused.message)
        else:
            messages.success(
                request,
                _(
                    "You're on the waitlist. If a time that suits you frees up, we'll email "
                    "you a link to book it."
                ),
            )
            return redirect("public:my-account")
    return render(
        request,
        "public/waitlist_join.html",
        {"practice": practice, "choice": choice, "chosen": chosen, "form": form},
    )


@access(PUBLIC)
def offer(request: HttpRequest, token: str) -> HttpResponse:
    """The link in a waitlist offer: see the time, book it with one click. The token in the
    link is the client's key to this one offer."""
    found = offer_for_token(token)
    if found is None:
        raise Http404(_("This offer link is not valid."))
    client = found.entry.client
    needs_policy = policy_acceptance_needed(client)
    error = ""
    if request.method == "POST":
        try:
            appointment = accept_waitlist_offer(
                token,
                by=request.user,
                accepts_cancellation_policy=bool(request.POST.get("accepts_cancellation_policy")),
                request=request,
            )
        except BookingError as refused:
            error = refused.message
            found.refresh_from_db()
        else:
            return render(
                request,
                "public/book_done.html",
                {"practice": found.practice, "appointment": appointment},
            )
    open_offer = found.status == OfferStatus.OFFERED and found.expires_at > timezone.now()
    return render(
        request,
        "public/waitlist_offer.html",
        {
            "offer": found,
            "practice": found.practice,
            "open": open_offer,
            "needs_policy": needs_policy,
            "error": error,
        },
    )
