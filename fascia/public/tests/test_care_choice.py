""" "Physiotherapy, massage or both?": every path of the rules, red flags that agree with the
intake screening, bad input refused beside the question, and the result leading into booking."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client as WebClient

from fascia.public.care_choice import RED_FLAGS, Advice, CareAnswers, recommend
from fascia.records.screening import AlertKind, screen
from fascia.scheduling.tests.conftest import ClinicWeek
from fascia.staff.tests.test_browser_front_desk_day import shot
from fascia.tests.accessibility import assert_accessible

TODAY = date(2031, 3, 3)


def answers(**changes: Any) -> CareAnswers:
    values: dict[str, Any] = {
        "goal": "relief",
        "injury": "none",
        "duration": "weeks",
        "red_flags": frozenset(),
        "physio_now": False,
    }
    values.update(changes)
    return CareAnswers(**values)


@pytest.mark.parametrize(
    ("changes", "advice", "rule"),
    [
        ({}, Advice.MASSAGE, "relief"),
        ({"goal": "recover"}, Advice.PHYSIOTHERAPY, "recovery"),
        ({"goal": "recover", "duration": "months"}, Advice.BOTH, "long_standing_recovery"),
        ({"goal": "both"}, Advice.BOTH, "relief_and_recovery"),
        ({"goal": "recover", "injury": "recent"}, Advice.PHYSIOTHERAPY, "recent_injury_rehab"),
        ({"injury": "recent"}, Advice.BOTH, "recent_injury_relief"),
        ({"goal": "recover", "physio_now": True}, Advice.BOTH, "already_in_physio"),
        (
            {"physio_now": True, "red_flags": frozenset({"calf_pain_swelling"})},
            Advice.PHYSICIAN,
            "red_flag",
        ),
    ],
)
def test_each_path_of_the_rules(changes: dict[str, Any], advice: Advice, rule: str) -> None:
    found = recommend(answers(**changes), TODAY)
    assert (found.advice, found.rule) == (advice, rule)
    assert found.reasons and all(reason.strip() for reason in found.reasons)


def test_both_says_when_to_book_the_massage() -> None:
    (reason,) = recommend(answers(physio_now=True), TODAY).reasons
    assert "a day or two after a physio session" in reason


def test_every_red_flag_sends_to_a_physician_as_the_intake_screening_does() -> None:
    for code, _label in RED_FLAGS:
        found = recommend(answers(red_flags=frozenset({code})), TODAY)
        assert found.advice == Advice.PHYSICIAN, code
        if code != "numbness_weakness":
            intake = [
                alert.message
                for alert in screen({"symptoms_today": [code]}, TODAY)
                if alert.kind == AlertKind.DEFER
            ]
            assert found.reasons == intake  # the same words as the health history's alert


def test_the_page_answers_and_leads_into_booking(open_week: ClinicWeek, client: WebClient) -> None:
    url = f"/book/{open_week.practice.slug}/physio-or-massage/"
    blank = client.get(url)
    assert blank.status_code == 200 and "Suggest where to start" in blank.content.decode()
    answered = client.get(
        url, {"goal": "relief", "injury": "none", "duration": "days", "physio_now": "no"}
    ).content.decode()
    assert "Our suggestion: Massage therapy" in answered
    assert f"/book/{open_week.practice.slug}/services/#service-{open_week.service.pk}" in answered
    urgent = client.get(
        url,
        {
            "goal": "relief",
            "injury": "none",
            "duration": "days",
            "physio_now": "no",
            "red_flags": ["chest_pain_breathless"],
        },
    ).content.decode()
    assert "See a physician first" in urgent and "Book a massage" not in urgent
    physio = client.get(
        url, {"goal": "recover", "injury": "recent", "duration": "days", "physio_now": "no"}
    ).content.decode()
    assert "Our suggestion: Physiotherapy" in physio and "Book a massage" not in physio


def test_bad_answers_are_refused_beside_the_question(
    open_week: ClinicWeek, client: WebClient
) -> None:
    url = f"/book/{open_week.practice.slug}/physio-or-massage/"
    refused = client.get(
        url,
        {
            "goal": "<script>alert(1)</script>",
            "injury": "none",
            "duration": "x" * 5000,
            "physio_now": "maybe",
            "red_flags": ["fever", "nonsense"],
        },
    )
    page = refused.content.decode()
    assert refused.status_code == 400
    assert "Please answer each question." in page and "Select a valid choice." in page
    assert "<script>alert(1)</script>" not in page and "Our suggestion" not in page


def test_rmt_or_spa_explains_the_difference_and_the_first_visit(
    open_week: ClinicWeek, client: WebClient
) -> None:
    page = client.get(f"/book/{open_week.practice.slug}/rmt-or-spa/").content.decode()
    for words in ("Assessment", "Regulation", "Consent", "Insurance", "Self-care."):
        assert words in page
    assert page.count("<li><strong>") == 5  # the five steps of a first visit


@pytest.mark.browser
def test_the_guides_on_a_phone_and_a_desktop(
    live_server: Any, page: Any, open_week: ClinicWeek
) -> None:
    slug = open_week.practice.slug
    for width, name in ((390, "phone"), (1280, "desktop")):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{live_server.url}/book/{slug}/")
        page.get_by_role("link", name="Physiotherapy, massage or both?").first.click()
        page.get_by_label("Ease pain or muscle tension, or relax").check()
        page.get_by_role("group", name="Have you had an injury, accident or surgery?").get_by_label(
            "No"
        ).check()
        page.get_by_label("More than three months").check()
        page.get_by_role("group", name="Is a physiotherapist treating you now?").get_by_label(
            "Yes"
        ).check()
        page.get_by_role("button", name="Suggest where to start").click()
        page.get_by_test_id("advice").wait_for()
        assert "Both" in page.get_by_test_id("advice").inner_text()
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        assert_accessible(page)
        shot(page, f"physio-or-massage-{name}")
        page.get_by_role("link", name="Book a massage").click()
        page.get_by_role("heading", name=f"Book with {open_week.practice.public_name}").wait_for()
        page.goto(f"{live_server.url}/book/{slug}/rmt-or-spa/")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        assert_accessible(page)
        shot(page, f"rmt-or-spa-{name}")
