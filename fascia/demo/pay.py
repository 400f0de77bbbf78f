"""The demo practice's pay rules, as an Ontario clinic would set them: contractors on a split
of what they bill (more for clients they brought themselves), one therapist on an hourly fee,
and a share of the products sold at visits. Loaded once, through the pay actions."""

from __future__ import annotations

from datetime import date

from fascia.clients.actions import update_client
from fascia.clients.models import Client
from fascia.pay.models import CompensationRule
from fascia.pay.rules import add_compensation_rule
from fascia.practices.models import Practice, Therapist

RULES_FROM = date(2024, 1, 1)
OWN_CLIENTS_EACH = 8  # the first clients of each split therapist came with them


def load_demo_pay(practice: Practice) -> None:
    if CompensationRule.objects.for_practice(practice).exists():
        return
    therapists = list(Therapist.objects.for_practice(practice).order_by("pk"))
    for index, therapist in enumerate(therapists):
        if index == len(therapists) - 1 and len(therapists) > 1:
            add_compensation_rule(
                therapist, basis="per_hour", amount="48.00", starts_on=RULES_FROM, by=None
            )
            continue
        add_compensation_rule(therapist, basis="split", percent="60", starts_on=RULES_FROM, by=None)
        add_compensation_rule(
            therapist,
            basis="split",
            percent="70",
            own_clients=True,
            starts_on=RULES_FROM,
            by=None,
        )
        add_compensation_rule(
            therapist,
            basis="split",
            category="products",
            percent="10",
            starts_on=RULES_FROM,
            by=None,
        )
        own = Client.objects.for_practice(practice).filter(brought_by=None).order_by("pk")
        for client in own[:OWN_CLIENTS_EACH]:
            update_client(client, by=None, brought_by=therapist)
