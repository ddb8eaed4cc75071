"""Money at the edges: parse, round, convert between yuan (Decimal) and fen (int).

Pure Python (no Django import) so the award engine can use it too. Money is never a float:
inputs go through ``Decimal(str(x))`` and every rounding is half up to the fen.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation

FEN = Decimal("0.01")
ZERO = Decimal("0.00")
# No amount reaches 10**15 yuan (1000万亿元, more than a year's national output); beyond it
# "1e999999" is a typing error or an attack that Decimal arithmetic cannot even format.
MAX_YUAN = Decimal("1e15")


class MoneyError(ValueError):
    """A value that is not an amount of money (not a number, negative, NaN...)."""


def parse_yuan(value: object, *, allow_negative: bool = False) -> Decimal:
    """Parse a yuan amount from a string, int or Decimal; refuse floats' artefacts and junk.

    Floats are accepted only through ``str()`` so 0.1 stays 0.1. Booleans are refused
    (``True`` is an int in Python, never an amount).
    """
    if isinstance(value, bool) or value is None:
        raise MoneyError("不是有效金额")
    if isinstance(value, str):
        value = value.strip().replace(",", "").replace("，", "")
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise MoneyError("不是有效金额") from exc
    if not amount.is_finite():
        raise MoneyError("不是有效金额")
    if abs(amount) >= MAX_YUAN:
        raise MoneyError("金额过大（不能达到1000万亿元），请核对单位")
    if amount < 0 and not allow_negative:
        raise MoneyError("金额不能为负数")
    return amount


def round_fen(amount: Decimal) -> Decimal:
    """Round half up to the fen (分): the one rounding rule of the portal. Exact at any size:
    the default context's 28 digits would refuse (InvalidOperation) amounts from 10**26."""
    digits = max(28, amount.adjusted() + 4) if amount.is_finite() else 28
    return amount.quantize(FEN, rounding=ROUND_HALF_UP, context=Context(prec=digits))


def to_fen(amount: Decimal) -> int:
    """Yuan (Decimal) -> integer fen, after rounding half up."""
    return int(round_fen(amount) * 100)


def from_fen(fen: int) -> Decimal:
    """Integer fen -> yuan Decimal with two places."""
    return (Decimal(int(fen)) / 100).quantize(FEN)


def format_yuan(amount: Decimal) -> str:
    """The API's money format: a yuan string with exactly two decimals, e.g. ``"60000.00"``."""
    return f"{round_fen(amount):.2f}"


def format_wan(amount: Decimal) -> str:
    """For leaders: 万元 with up to two decimals, e.g. ``Decimal("1234567")`` -> ``"123.46万元"``."""
    wan = (amount / Decimal(10000)).quantize(FEN, rounding=ROUND_HALF_UP)
    return f"{wan:,.2f}万元"


_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_IN_GROUP = ("", "拾", "佰", "仟")
_GROUPS = ("", "万", "亿", "万亿")


def amount_in_words(amount: Decimal) -> str:
    """大写金额 as the 人民银行 rules for 票据和结算凭证 write it, e.g. 1409.50 -> 人民币壹仟肆佰零玖元伍角.

    Rounds half up to the fen first. Zeros: one 零 for a run of zeros inside a four-digit
    group; none for zeros that end a group (¥107,000.53 -> 壹拾万柒仟元零伍角叁分); 元 is
    followed by 零 when the 元 digit is 0 and 角 is not, or when 角 is 0 and 分 is not;
    整 only after 元.
    """
    fen = to_fen(amount)
    if fen < 0:
        raise MoneyError("金额不能为负数")
    yuan, cents = divmod(fen, 100)
    jiao, fen_digit = divmod(cents, 10)
    words = _integer_words(yuan)
    if yuan == 0 and cents:
        words = ""
    else:
        words += "元"
    if cents == 0:
        return f"人民币{words}整"
    if jiao:
        if yuan and yuan % 10 == 0:
            words += "零"
        words += _DIGITS[jiao] + "角"
    elif yuan:
        words += "零"
    if fen_digit:
        words += _DIGITS[fen_digit] + "分"
    return "人民币" + words


def _integer_words(number: int) -> str:
    if number == 0:
        return "零"
    groups = []
    while number:
        number, group = divmod(number, 10_000)
        groups.append(group)
    words = ""
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        digits = f"{group:04d}"
        pending_zero = False
        for position, char in enumerate(digits):
            digit = int(char)
            if digit == 0:
                pending_zero = bool(words)  # a zero inside the number, not a leading one
                continue
            if pending_zero:
                words += "零"
                pending_zero = False
            words += _DIGITS[digit] + _IN_GROUP[3 - position]
        if group:
            words += _GROUPS[index]
    return words
