"""Shares and instalments always add up to the award, to the fen (hypothesis)."""

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from finance import splits
from portal.core.errors import DomainError

amounts = st.integers(min_value=0, max_value=10**13)
weights = st.integers(min_value=0, max_value=9) | st.sampled_from(["0.5", "1.5", "2", "1"])


@given(total=amounts, city=weights, district=weights)
def test_city_and_district_add_up_to_the_award(total, city, district):
    split = {"city": city, "district": district}
    if Fraction(str(city)) + Fraction(str(district)) == 0:
        with pytest.raises(DomainError):
            splits.split_city_district(total, split)
        return
    city_fen, district_fen = splits.split_city_district(total, split)
    assert city_fen + district_fen == total
    assert city_fen >= 0 and district_fen >= 0
    # the district never gets more than its exact part; the city takes the odd fen
    exact = (
        Fraction(total) * Fraction(str(district)) / (Fraction(str(city)) + Fraction(str(district)))
    )
    assert 0 <= exact - district_fen < 1


@given(
    total=amounts, shares=st.lists(st.integers(min_value=1, max_value=100), min_size=2, max_size=6)
)
def test_instalments_add_up_and_the_last_takes_the_remainder(total, shares):
    schedule = [{"share": s, "when": f"第{i}期"} for i, s in enumerate(shares, 1)]
    parts = splits.split_instalments(total, splits.instalment_percents(schedule))
    assert sum(parts) == total and len(parts) == len(shares)
    assert all(p >= 0 for p in parts)


def test_one_to_one_odd_fen_goes_to_the_city():
    assert splits.split_city_district(10_000_001, {"city": 1, "district": 1}) == (
        5_000_001,
        5_000_000,
    )


def test_no_split_means_the_city_pays_all():
    assert splits.split_city_district(12345, None) == (12345, 0)


def test_schedule_without_numbers_is_one_payment():
    rows = [{"share": None, "when": "第1年"}, {"share": None, "when": "第2年"}]
    assert splits.instalment_percents(rows) == [Fraction(100)]


def test_bad_split_is_a_chinese_error():
    with pytest.raises(DomainError, match="资金分担比例"):
        splits.split_city_district(100, {"city": "abc", "district": 1})
