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


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        # the official examples of the 人民银行 rules for 票据和结算凭证
        ("1409.50", "人民币壹仟肆佰零玖元伍角"),
        ("6007.14", "人民币陆仟零柒元壹角肆分"),
        ("16409.02", "人民币壹万陆仟肆佰零玖元零贰分"),
        ("325.04", "人民币叁佰贰拾伍元零肆分"),
        ("107000.53", "人民币壹拾万柒仟元零伍角叁分"),
        ("1680.32", "人民币壹仟陆佰捌拾元零叁角贰分"),
        ("0.05", "人民币伍分"),
        ("0.50", "人民币伍角"),
        ("10.00", "人民币壹拾元整"),
        ("100010.50", "人民币壹拾万零壹拾元零伍角"),
        ("1000000000.00", "人民币壹拾亿元整"),
        ("1200000", "人民币壹佰贰拾万元整"),
        ("100000005", "人民币壹亿零伍元整"),
        ("1000500", "人民币壹佰万零伍佰元整"),
        ("0", "人民币零元整"),
        ("0.005", "人民币壹分"),  # rounded half up, never truncated
        ("2.675", "人民币贰元陆角捌分"),
    ],
)
def test_amount_in_words(amount, words):
    from portal.core.money import amount_in_words

    assert amount_in_words(Decimal(amount)) == words
