"""Password validators for the profiles in ``portal/settings/password_profiles.py``.

Password rules are a setting with two profiles (PORTAL_PASSWORD_PROFILE).

- ``dengbao`` (default, 等保2.0 第三级): at least 8 characters mixing letters, digits and
  symbols, not like the user name, not a common password, changed every 90 days.
- ``asvs`` (OWASP ASVS 4, V2.1): at least 12 characters, up to 128, no composition rules, no
  forced periodic change, checked against a list of breached/common passwords.
"""

from __future__ import annotations

import re

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django 5.2 changed this message's msgid and its zh_Hans catalogue lacks the new one."""

    def get_error_message(self) -> str:
        return f"密码太短，至少需要 {self.min_length} 个字符。"

    def get_help_text(self) -> str:
        return f"密码至少 {self.min_length} 个字符。"


class CompositionValidator:
    """等保: letters, digits and symbols, all three."""

    def validate(self, password: str, user=None) -> None:
        missing = [
            name
            for name, pattern in (("字母", r"[A-Za-z]"), ("数字", r"\d"), ("符号", r"[^A-Za-z\d]"))
            if not re.search(pattern, password)
        ]
        if missing:
            raise ValidationError(
                "密码必须同时包含字母、数字和符号，当前缺少：%(missing)s。",
                code="password_composition",
                params={"missing": "、".join(missing)},
            )

    def get_help_text(self) -> str:
        return "密码须同时包含字母、数字和符号。"


class MaximumLengthValidator:
    def validate(self, password: str, user=None) -> None:
        if len(password) > 128:
            raise ValidationError("密码不能超过 128 个字符。", code="password_too_long")

    def get_help_text(self) -> str:
        return "密码不超过 128 个字符。"
