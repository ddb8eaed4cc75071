from decimal import Decimal

import pytest

from portal.core.money import (
    MoneyError,
    format_wan,
    format_yuan,
    from_fen,
    parse_yuan,
    round_fen,
    to_fen,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("12345678.90", Decimal("12345678.90")),
        (100, Decimal("100")),
        ("1,000", Decimal("1000")),
        (0.1, Decimal("0.1")),
        (" 5 ", Decimal("5")),
    ],
)
def test_parse_yuan_accepts_numbers_and_strings(raw, expected):
    assert parse_yuan(raw) == expected


@pytest.mark.parametrize("raw", ["abc", "", None, True, "NaN", "Infinity", [1]])
def test_parse_yuan_refuses_junk(raw):
    with pytest.raises(MoneyError):
        parse_yuan(raw)


def test_parse_yuan_refuses_negative_unless_allowed():
    with pytest.raises(MoneyError, match="负数"):
        parse_yuan("-1")
    assert parse_yuan("-1", allow_negative=True) == Decimal("-1")


@pytest.mark.parametrize(
    ("amount", "rounded"),
    [
        ("0.005", "0.01"),
        ("0.004", "0.00"),
        ("2.675", "2.68"),
        ("1.115", "1.12"),
        ("-0.005", "-0.01"),
    ],
)
def test_round_fen_is_half_up(amount, rounded):
    assert round_fen(Decimal(amount)) == Decimal(rounded)


def test_fen_round_trip_is_exact():
    assert to_fen(Decimal("60000.00")) == 6_000_000
    assert to_fen(Decimal("0.015")) == 2
    assert from_fen(6_000_001) == Decimal("60000.01")
    assert format_yuan(Decimal("60000")) == "60000.00"
    assert format_wan(Decimal("1234567")) == "123.46万元"


def test_sum_of_many_fen_amounts_does_not_drift():
    amounts = [Decimal("0.10")] * 100_000
    assert from_fen(sum(to_fen(a) for a in amounts)) == Decimal("10000.00")
