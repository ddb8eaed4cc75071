"""Field rules: credit code (which rule failed), mobile, account, account name, periods, values."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from enterprises.catalogue import (
    CATALOGUE,
    IndicatorInputError,
    parse_period,
    parse_period_for,
    parse_value,
    spec_for,
)
from enterprises.validators import credit_code_problem, normalize_credit_code
from tests.factories.enterprises import EnterpriseFactory, valid_credit_code

VALID = "91110000600037341L"  # python-stdnum's documented example


def test_valid_code_passes_and_lower_case_with_spaces_is_normalised():
    assert credit_code_problem(VALID) is None
    assert normalize_credit_code(" 9111 0000-600037341l ") == VALID
    assert credit_code_problem(valid_credit_code(42)) is None


def test_wrong_check_digit_names_the_check_digit():
    message = credit_code_problem(VALID[:-1] + "M")
    assert "校验位" in message and "第18位" in message


@pytest.mark.parametrize("code", ["91110000600037341", "91110000600037341LL", "12345"])
def test_wrong_length_says_18_and_how_many(code):
    message = credit_code_problem(code)
    assert "18位" in message and f"{len(code)}位" in message


def test_letter_in_the_first_eight_positions_is_a_character_rule():
    message = credit_code_problem("A1110000600037341L")
    assert "字符" in message and "第1位" in message and "前8位" in message


@pytest.mark.parametrize("char", ["I", "O", "Z", "S", "V", "*"])
def test_forbidden_characters_are_named_with_their_position(char):
    code = VALID[:10] + char + VALID[11:]
    message = credit_code_problem(code)
    assert "字符" in message and "第11位" in message


@pytest.mark.django_db
def test_model_full_clean_gives_one_message_per_rule():
    enterprise = EnterpriseFactory.build(credit_code="9111000060003734", district_code="jinshui")
    with pytest.raises(ValidationError) as exc:
        enterprise.full_clean(exclude=["industry_section"])
    messages = exc.value.message_dict["credit_code"]
    assert len(messages) == 1 and "18位" in messages[0]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("contact_mobile", "1380013800", "11位"),
        ("contact_mobile", "23800138000", "11位"),
        ("bank_account", "1234567", "8至30位数字"),
        ("bank_account", "12345678901234567890123456789012", "8至30位数字"),
        ("bank_account", "62170000A0001234", "8至30位数字"),
    ],
)
def test_mobile_and_account_rules(field, value, expected):
    enterprise = EnterpriseFactory.build(**{field: value})
    with pytest.raises(ValidationError) as exc:
        enterprise.full_clean(exclude=["industry_section"])
    assert expected in exc.value.message_dict[field][0]
    assert len(exc.value.message_dict[field]) == 1


@pytest.mark.django_db
def test_bank_account_name_must_equal_enterprise_name_in_clean_and_in_the_database():
    enterprise = EnterpriseFactory.build(name="郑州甲公司", bank_account_name="郑州乙公司")
    with pytest.raises(ValidationError) as exc:
        enterprise.full_clean(exclude=["industry_section"])
    assert "须与企业名称" in exc.value.message_dict["bank_account_name"][0]
    with pytest.raises(IntegrityError), transaction.atomic():
        enterprise.save()


@pytest.mark.django_db
def test_division_decides_the_section():
    enterprise = EnterpriseFactory.build(industry_section="", industry_division="44")
    enterprise.full_clean(exclude=["industry_section"])
    assert enterprise.industry_section == "D"
    assert enterprise.is_industrial and not enterprise.is_manufacturing


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2023", "2023"),
        ("2023h1", "2023H1"),
        ("2023q4", "2023Q4"),
        ("2023-1", "2023-01"),
        ("2023/12", "2023-12"),
        (2022, "2022"),
        ("2023年", "2023"),
    ],
)
def test_periods_are_normalised(text, expected):
    assert str(parse_period(text)) == expected


def test_excel_dates_become_months():
    import datetime as dt

    assert str(parse_period(dt.datetime(2023, 3, 1))) == "2023-03"


@pytest.mark.parametrize("text", ["2023Q5", "2023-13", "23Q1", "2023H3", "", "Q1 2023", "1999"])
def test_bad_periods_are_refused_with_the_format(text):
    with pytest.raises(IndicatorInputError) as exc:
        parse_period_for(CATALOGUE["revenue"], text)
    assert "2023Q1" in str(exc.value) or "年份" in str(exc.value) or "月份" in str(exc.value)


def test_period_kind_not_used_for_that_indicator():
    with pytest.raises(IndicatorInputError) as exc:
        parse_period_for(CATALOGUE["employees"], "2023Q1")
    assert "从业人员不按季度填报" in str(exc.value)


def test_names_by_code_or_chinese_label():
    assert spec_for("营业收入").name == "revenue"
    assert spec_for("用电量（千瓦时）").name == "electricity_kwh"
    with pytest.raises(IndicatorInputError) as exc:
        spec_for("利润")
    assert "未知的指标名称" in str(exc.value)


@pytest.mark.parametrize(
    ("name", "raw", "stored"),
    [
        ("revenue", "135,000,000", 13_500_000_000),
        ("revenue", 1234.56, 123456),
        ("revenue", "0.1", 10),
        ("electricity_kwh", 1250000.0, 1250000),
        ("employees", "320", 320),
    ],
)
def test_values_are_stored_exactly(name, raw, stored):
    assert parse_value(CATALOGUE[name], raw) == stored


@pytest.mark.parametrize(
    ("name", "raw", "expected"),
    [
        ("revenue", "abc", "不是数字"),
        ("revenue", "-5", "负数"),
        ("revenue", "1.234", "两位小数"),
        ("electricity_kwh", "-1", "负数"),
        ("employees", "3.5", "整数"),
        ("revenue", None, "不是数字"),
        ("revenue", True, "不是数字"),
        ("revenue", "NaN", "不是数字"),
    ],
)
def test_bad_values_are_refused(name, raw, expected):
    with pytest.raises(IndicatorInputError) as exc:
        parse_value(CATALOGUE[name], raw)
    assert expected in str(exc.value)


@pytest.mark.parametrize("raw", ["1e30", "1E+400", "99999999999999999999"])
def test_absurdly_large_values_are_refused_not_overflowed(raw):
    for name in ("revenue", "electricity_kwh", "employees"):
        with pytest.raises(IndicatorInputError) as exc:
            parse_value(CATALOGUE[name], raw)
        assert "过大" in str(exc.value)
