"""Field validators with Chinese messages that say which rule failed."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from stdnum.cn import uscc
from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength

from portal.core.text import ascii_digits, fold_width

CREDIT_CODE_LENGTH = 18
# Characters allowed in positions 9–18 (GB 32100-2015: digits and capitals without I O Z S V).
_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
# ASCII digits only (\d alone matches "٣" and "１"); the normalisers turn full-width into ASCII
MOBILE_RE = re.compile(r"1[3-9][0-9]{9}", re.ASCII)
BANK_ACCOUNT_RE = re.compile(r"[0-9]{8,30}", re.ASCII)


def normalize_credit_code(value: str) -> str:
    """Upper case, no spaces or hyphens, full-width letters and digits as ASCII: what people
    copy from a licence becomes comparable."""
    return uscc.compact(fold_width(value or ""))


def credit_code_problem(value: str) -> str | None:
    """The Chinese message for an invalid 统一社会信用代码, or None when it is valid."""
    code = normalize_credit_code(value)
    try:
        uscc.validate(code)
    except InvalidLength:
        return (
            f"统一社会信用代码应为{CREDIT_CODE_LENGTH}位，您输入了{len(code)}位，请核对营业执照。"
        )
    except InvalidFormat:
        for position, char in enumerate(code, start=1):
            if position <= 8 and char not in "0123456789":
                return (
                    f"统一社会信用代码第{position}位“{char}”不符合字符规则："
                    "前8位（登记管理部门、机构类别和登记管理机关行政区划码）应为数字。"
                )
            if position > 8 and char not in _CODE_ALPHABET:
                return (
                    f"统一社会信用代码第{position}位“{char}”不符合字符规则："
                    "第9至18位只能是数字或大写字母（不含 I、O、Z、S、V）。"
                )
        return "统一社会信用代码含有不允许的字符。"
    except InvalidChecksum:
        return "统一社会信用代码校验位（第18位）不正确，请逐位核对营业执照上的代码。"
    return None


def validate_credit_code(value: str) -> None:
    problem = credit_code_problem(value)
    if problem:
        raise ValidationError(problem, code="invalid_credit_code")


def validate_mobile(value: str) -> None:
    if not MOBILE_RE.fullmatch(value or ""):
        raise ValidationError(
            "请输入11位中国大陆手机号码（以1开头，第二位为3至9），不要带区号或空格。",
            code="invalid_mobile",
        )


def normalize_bank_account(value: str) -> str:
    """Full-width digits (a Chinese input method) become ASCII; spaces and hyphens go."""
    return ascii_digits(value)


def normalize_mobile(value: str) -> str:
    return ascii_digits(value)


def validate_bank_account(value: str) -> None:
    if not BANK_ACCOUNT_RE.fullmatch(value or ""):
        raise ValidationError("银行账号应为8至30位数字。", code="invalid_bank_account")
