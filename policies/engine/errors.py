"""Engine errors: every bad input is refused with a Chinese message naming the clause/fact."""

from __future__ import annotations

from collections.abc import Mapping


class EngineError(Exception):
    """Base error. ``errors`` maps a fact name (or ``"clause"``/a param name) to a Chinese
    message that names the clause and the fact.

    ``message`` is one line, fit for a CLI's stderr; the API returns ``{"errors": errors}``.
    """

    def __init__(self, errors: Mapping[str, str], *, code: str | None = None) -> None:
        self.errors: dict[str, str] = dict(errors)
        self.code = code
        # Each message already names the clause and the fact, so the line is just their join.
        self.message = "；".join(self.errors.values()) or (f"条款 {code} 计算出错" if code else "")
        super().__init__(self.message)


class UnknownClause(EngineError):
    """The clause code is not registered."""

    def __init__(self, code: str) -> None:
        super().__init__({"clause": f"未知的政策条款编码「{code}」"})
        self.code = code


class FactError(EngineError):
    """A required fact is missing or a fact has the wrong type/value."""


class ParamError(EngineError):
    """A clause parameter (edited by the policy administrator) is invalid."""


class SpecError(ValueError):
    """A clause declaration (class or data spec) is malformed: a programming error, raised at
    registration time so a bad declaration never reaches an applicant."""
