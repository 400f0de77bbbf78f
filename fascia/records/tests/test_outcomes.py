"""Outcome measures scored by their published rules; range of motion against normal values."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fascia.records.outcomes import MEASURES, OutcomeError, change, score
from fascia.records.rom import RangeError, check_measurement, percent_of_normal


def test_nprs_is_the_number_given() -> None:
    assert score("nprs", [7]).value == Decimal(7)
    assert score("nprs", [None]).complete is False
    with pytest.raises(OutcomeError, match="answers run from 0 to 10"):
        score("nprs", [11])


def test_ndi_percent_band_and_missing_items() -> None:
    full = score("ndi", [2, 1, 3, 2, 1, 0, 2, 1, 2, 1])  # raw 15
    assert (full.value, full.band) == (Decimal("30.0"), "moderate")
    prorated = score("ndi", [2, 1, 3, 2, 1, 0, 2, 1, None, None])  # 12 of 40
    assert prorated.value == Decimal("30.0") and "Prorated over 8" in prorated.note
    too_few = score("ndi", [2, 1, 3, 2, 1, 0, 2, None, None, None])
    assert (too_few.value, too_few.complete) == (None, False)
    assert too_few.display() == "incomplete"


def test_odi_percent_and_band() -> None:
    result = score("odi", [3, 2, 2, 3, 2, 1, 2, 2, 3, None])  # 20 of 45
    assert (result.value, result.band) == (Decimal("44.4"), "severe disability")


def test_psfs_is_the_mean_of_the_activities() -> None:
    assert score("psfs", [3, 5, 4]).value == Decimal("4.0")
    assert score("psfs", [3, 4]).value == Decimal("3.5")
    with pytest.raises(OutcomeError, match="at most 5"):
        score("psfs", [1, 2, 3, 4, 5, 6])


def test_lefs_and_uefi_need_every_item() -> None:
    assert score("lefs", [4] * 20).value == Decimal(80)
    assert score("uefi", [2] * 20).value == Decimal(40)
    assert score("lefs", [4] * 19 + [None]).complete is False
    with pytest.raises(OutcomeError, match="20 items"):
        score("lefs", [4] * 19)


@given(st.lists(st.integers(0, 5), min_size=10, max_size=10))
def test_ndi_and_odi_stay_between_0_and_100(answers: list[int]) -> None:
    for code in ("ndi", "odi"):
        value = score(code, list(answers)).value
        assert value is not None and Decimal(0) <= value <= Decimal(100)


def test_change_is_measured_towards_the_best_score() -> None:
    assert change("nprs", score("nprs", [8]), score("nprs", [4])) == Decimal("50.0")
    assert change("lefs", score("lefs", [2] * 20), score("lefs", [3] * 20)) == Decimal("50.0")
    assert change("ndi", score("ndi", [5] * 10), score("ndi", [None] * 10)) is None
    assert set(MEASURES) == {"nprs", "psfs", "ndi", "odi", "lefs", "uefi"}


def test_range_of_motion_against_normal_and_limits() -> None:
    assert check_measurement("shoulder", "flexion", "left", Decimal(135)) == 180
    assert percent_of_normal("shoulder", "flexion", Decimal(135)) == Decimal(75)
    with pytest.raises(RangeError, match="outside physiological limits"):
        check_measurement("shoulder", "flexion", "left", Decimal(400))
    with pytest.raises(RangeError, match="outside physiological limits"):
        check_measurement("knee", "flexion", "right", Decimal(-5))
    with pytest.raises(RangeError, match="left or right"):
        check_measurement("knee", "flexion", "", Decimal(90))
    with pytest.raises(RangeError, match="No normal range"):
        check_measurement("knee", "abduction", "left", Decimal(10))


def test_every_questionnaire_names_its_items_and_what_the_ends_of_the_scale_mean() -> None:
    from fascia.records.outcomes import MEASURES

    for measure in MEASURES.values():
        assert all(measure.anchors), measure.code
        if not measure.names_activities:
            assert len(measure.item_labels) == measure.items, measure.code
