"""Find a therapist: across listed practices (the directory) and on one practice's site, by
place (homes visited and clinic distance), technique, language, gender, home visits, direct
billing and a time this week."""

from __future__ import annotations

from datetime import time
from typing import Any

import pytest
from django.test import Client as WebClient

from fascia.accounts.models import Role, StaffMember, User
from fascia.conftest import PracticeCast, make_practice
from fascia.practices.models import Location, Practice, ServiceArea, Therapist
from fascia.scheduling.models import WeeklyShift
from fascia.website.actions import save_website
from fascia.website.directory import (
    PlaceUnknown,
    TherapistSearch,
    find_therapists,
    listed_practices,
)

MILTON = ("43.518300", "-79.877400", ["L9T", "L9E"])
OAKVILLE = ("43.467500", "-79.687700", ["L6H", "L6J", "L6K", "L6L", "L6M"])


def therapist(practice: Practice, name: str, *, where: Location, **fields: Any) -> Therapist:
    user = User.objects.create_user(f"{name.split()[0].lower()}@{practice.slug}.test", "x" * 12)
    StaffMember.objects.create(practice=practice, user=user, role=Role.THERAPIST)
    values = {"registration_number": "R1", "modalities": ["swedish"], "languages": ["English"]}
    values.update(fields)
    made = Therapist.objects.create(practice=practice, user=user, display_name=name, **values)
    for weekday in range(5):
        WeeklyShift.objects.create(
            practice=practice,
            therapist=made,
            location=where,
            weekday=weekday,
            starts_at=time(9),
            ends_at=time(17),
        )
    return made


def mobile(practice: Practice, *areas: tuple[str, tuple[str, str, list[str]]]) -> Location:
    location = Location.objects.create(
        practice=practice, name="Home visits", kind=Location.Kind.MOBILE
    )
    for name, (latitude, longitude, prefixes) in areas:
        area = ServiceArea.objects.create(
            practice=practice,
            name=name,
            centroid_latitude=latitude,
            centroid_longitude=longitude,
            postal_prefixes=prefixes,
        )
        location.service_areas.add(area)
    return location


@pytest.fixture
def halton(maple: PracticeCast, birch: PracticeCast) -> dict[str, Any]:
    """Maple (listed): Amélie, French, visits Milton homes; Ben, English, visits Milton too.
    Birch (listed): a clinic in Oakville with Chloé (French, woman). Cedar (not listed): a
    French therapist visiting Milton, who must never show."""
    cedar = make_practice("cedar", "Cedar Health")
    for cast, direct in ((maple, False), (birch, True)):
        save_website(
            cast.practice,
            in_directory=True,
            direct_billing=direct,
            direct_billing_insurers="Sun Life" if direct else "",
        )
    save_website(cedar.practice, in_directory=False)
    maple_homes = mobile(maple.practice, ("Milton", MILTON))
    amelie = therapist(
        maple.practice,
        "Amélie Roy",
        where=maple_homes,
        languages=["Français", "English"],
        gender="woman",
        modalities=["swedish", "lymphatic_drainage"],
    )
    ben = therapist(maple.practice, "Ben Stone", where=maple_homes, gender="man")
    oakville = Location.objects.create(
        practice=birch.practice,
        name="Oakville Clinic",
        street="2 Lakeshore Rd",
        city="Oakville",
        latitude=43.4475,
        longitude=-79.6667,
    )
    chloe = therapist(
        birch.practice, "Chloé Martin", where=oakville, languages=["French"], gender="woman"
    )
    cedar_homes = mobile(cedar.practice, ("Milton", MILTON))
    hidden = therapist(cedar.practice, "Hidden Hugo", where=cedar_homes, languages=["French"])
    return {"amelie": amelie, "ben": ben, "chloe": chloe, "hidden": hidden}


def names(search: TherapistSearch, practices: Any = None) -> list[str]:
    found = find_therapists(search, practices if practices is not None else listed_practices())
    return [match.name for match in found]


def test_the_directory_finds_a_french_speaking_therapist_who_visits_milton(
    halton: dict[str, Any],
) -> None:
    found = find_therapists(
        TherapistSearch(place="Milton", language="French", home_visits=True), listed_practices()
    )
    assert [m.therapist for m in found] == [halton["amelie"]]
    assert found[0].visits_home_here and found[0].area_name == "Milton"
    # By postal code too; and in French.
    assert names(TherapistSearch(place="l9t 2x5", language="français")) == [
        "Amélie Roy",
        "Chloé Martin",
    ]


def test_place_orders_homes_visited_first_then_clinic_distance(halton: dict[str, Any]) -> None:
    found = find_therapists(TherapistSearch(place="Milton"), listed_practices())
    assert [m.name for m in found] == ["Amélie Roy", "Ben Stone", "Chloé Martin"]
    chloe = found[-1]
    assert not chloe.visits_home_here
    assert chloe.clinic_km is not None and 10 < chloe.clinic_km < 30  # Oakville from Milton
    assert names(TherapistSearch(place="Oakville")) == ["Chloé Martin"]
    with pytest.raises(PlaceUnknown):
        find_therapists(TherapistSearch(place="Atlantis"), listed_practices())


def test_each_filter_narrows_the_search(halton: dict[str, Any]) -> None:
    assert names(TherapistSearch(gender="man")) == ["Ben Stone"]
    assert names(TherapistSearch(technique="lymphatic_drainage")) == ["Amélie Roy"]
    assert names(TherapistSearch(direct_billing=True)) == ["Chloé Martin"]
    assert set(names(TherapistSearch(home_visits=True))) == {"Amélie Roy", "Ben Stone"}
    every = set(names(TherapistSearch()))
    assert {"Amélie Roy", "Ben Stone", "Chloé Martin"} <= every
    assert "Hidden Hugo" not in every  # Cedar is not listed


def test_a_lapsed_or_inactive_therapist_is_not_found(halton: dict[str, Any]) -> None:
    ben = halton["ben"]
    ben.registration_status = Therapist.RegistrationStatus.INACTIVE
    ben.save()
    assert "Ben Stone" not in names(TherapistSearch(place="Milton"))


@pytest.mark.usefixtures("halton")
def test_has_a_time_this_week_asks_the_booking_rules(maple: PracticeCast) -> None:
    # The fixture's therapists offer Swedish massage, which Maple's service is, but only
    # at the clinic: Amélie and Ben work only in homes, so only a home search finds times.
    service = maple.service
    service.in_home = True
    service.save()
    found = find_therapists(
        TherapistSearch(place="L9T 2X5", free_this_week=True, home_visits=True),
        Practice.objects.filter(pk=maple.practice.pk),
    )
    assert {m.name for m in found} == {"Amélie Roy", "Ben Stone"}
    assert all(m.free_this_week for m in found)
    service.in_home = False
    service.save()
    assert (
        find_therapists(
            TherapistSearch(place="L9T 2X5", free_this_week=True),
            Practice.objects.filter(pk=maple.practice.pk),
        )
        == []
    )


def test_the_directory_page_and_a_practice_s_therapists_page(
    halton: dict[str, Any], client: WebClient
) -> None:
    page = client.get("/therapists/", {"place": "Milton", "language": "French"})
    text = page.content.decode()
    assert page.status_code == 200
    assert "Amélie Roy" in text and "Chloé Martin" in text and "Hidden Hugo" not in text
    assert "Visits homes in Milton" in text and "Maple Massage" in text
    assert f"/book/maple/services/?therapist={halton['amelie'].pk}" in text
    own = client.get("/book/birch/therapists/", {"language": "French"}).content.decode()
    assert "Chloé Martin" in own and "Amélie Roy" not in own
    # A practice's own page lists its therapists even when it is not in the directory.
    assert "Hidden Hugo" in client.get("/book/cedar/therapists/").content.decode()


@pytest.mark.parametrize(
    ("query", "error"),
    [
        ({"place": "<script>x</script>"}, "Write plain text"),
        ({"place": "x" * 61}, "at most 60 characters"),
        ({"language": "Fr3nch"}, "Write the language&#x27;s name"),
        ({"gender": "robot"}, "Select a valid choice"),
        ({"place": "Atlantis"}, "We know no practice near Atlantis"),
    ],
)
def test_bad_searches_are_answered_beside_the_field(
    halton: dict[str, Any], client: WebClient, query: dict[str, str], error: str
) -> None:
    page = client.get("/therapists/", query)
    assert page.status_code == 400
    assert error in page.content.decode()


@pytest.mark.browser
def test_finding_a_therapist_on_a_phone(
    live_server: Any, page: Any, halton: dict[str, Any]
) -> None:
    from fascia.staff.tests.test_browser_front_desk_day import shot
    from fascia.tests.accessibility import assert_accessible

    for width, name in ((390, "phone"), (1280, "desktop")):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{live_server.url}/")
        page.get_by_role("link", name="Find a therapist").first.click()
        page.get_by_label("Town or postal code").fill("Milton")
        page.get_by_label("Language", exact=True).fill("French")
        page.get_by_label("Visits homes").check()
        page.get_by_role("button", name="Search").click()
        page.get_by_role("status").filter(has_text="1 therapist").wait_for()
        assert "Visits homes in Milton" in page.inner_text("main")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        assert_accessible(page)
        shot(page, f"directory-{name}")
        page.get_by_label("Town or postal code").fill("Atlantis")
        page.get_by_role("button", name="Search").click()
        assert "We know no practice near Atlantis" in page.get_by_role("alert").inner_text()
        assert_accessible(page)
    page.get_by_label("Town or postal code").fill("Milton")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Book with Amélie Roy").click()
    page.get_by_role("heading", name="Book with Maple Massage").wait_for()
