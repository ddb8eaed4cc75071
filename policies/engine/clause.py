"""The Clause base class: metadata for forms + ``compute()`` written with blocks."""

from __future__ import annotations

import inspect
import re
from collections.abc import Mapping
from decimal import Decimal

from . import periods
from .errors import SpecError
from .facts import FactSpec, parse_facts
from .params import ParamSpec, validate_params
from .result import AwardResult, Trace

CODE_RE = re.compile(r"^[a-z]+-\d{4}-\d+/\d+$")
COMBINES = {
    "single": "单一奖励",
    "sum": "各子项相加（受本条上限约束）",
    "max": "就高（只取最高一项）",
    "exclusive": "从高不重复（符合较高一项的只享受较高一项）",
    "tier_difference": "级差（扣减已获较低等级奖励）",
}


class Clause:
    """One article of a policy, registered under its contract code (``zzw-2022-155/2``).

    Subclasses set the metadata below and implement ``compute(f, p, t)``: ``f`` holds the
    parsed facts (every declared fact present, optional ones defaulted), ``p`` the validated
    params, ``t`` the Trace to write reasons/steps into. Return the amount (Decimal).
    The docstring must cite the article and quote its key sentence.
    """

    code: str = ""
    article: str = ""
    title: str = ""
    facts: tuple[FactSpec, ...] = ()
    params: tuple[ParamSpec, ...] = ()
    combine: str = "single"
    is_ceiling: bool = False
    computable: bool = True
    # Cross-case rules (see stacking.py): what the clause rewards, its 从高不重复 groups,
    # the clauses it may be cumulated with, the title ladder for 级差, the annual-cap param.
    matters: tuple[str, ...] = ()
    stacking_groups: tuple[str, ...] = ()
    stacks_with: tuple[str, ...] = ()
    ladder: str | None = None
    annual_cap_param: str | None = None
    once_per_enterprise: bool = False
    # What one award is for (see periods.py): how often it pays (``paid_per``: once, year,
    # quarter, half, subject; empty = derived), the subject it is about (``subject_kind``:
    # project, product, title, event, platform; empty = from ``matters``, "none" = none), the
    # period the text itself fixes; caps over the whole policy period for one enterprise
    # (``enterprise_cap_params``: 对单个企业…不超过 X, no 每年); ``stacking_parts``: the
    # result's ``parts`` say which share of the amount belongs to which group or cap.
    paid_per: str = ""
    subject_kind: str = ""
    fixed_period: str = ""
    enterprise_cap_params: tuple[str, ...] = ()
    stacking_parts: bool = False
    version: str = "1"

    # -- to override -------------------------------------------------------------------
    def compute(self, f: Mapping[str, object], p: Mapping[str, object], t: Trace) -> Decimal:
        raise NotImplementedError

    # -- public ------------------------------------------------------------------------
    @property
    def policy(self) -> str:
        return self.code.split("/", 1)[0]

    @property
    def origin(self) -> str:
        """Where the clause is declared (a code may be registered from one place only)."""
        return f"{type(self).__module__}.{type(self).__qualname__}"

    @property
    def doc(self) -> str:
        return inspect.cleandoc(type(self).__doc__ or "")

    @property
    def paid_for(self) -> str:
        """What one award is for, in Chinese (periods.describe): 每年度一次, 每个项目只奖励一次…"""
        return periods.describe(self)

    def parse_facts(self, facts: Mapping[str, object]) -> dict[str, object]:
        return parse_facts(self.code, list(self.facts), facts)

    def validate_params(self, params: Mapping[str, object] | None) -> dict[str, object]:
        return validate_params(self.code, list(self.params), params)

    def calculate(
        self, facts: Mapping[str, object], params: Mapping[str, object] | None = None
    ) -> AwardResult:
        return self.evaluate(facts, self.validate_params(params))

    def evaluate(self, facts: Mapping[str, object], validated: Mapping[str, object]) -> AwardResult:
        """``calculate`` with params already validated: batch callers (免申即享, 为我推荐)
        validate a rule version's params once and evaluate many enterprises with them."""
        f = self.parse_facts(facts)
        t = Trace()
        t.is_ceiling = self.is_ceiling
        t.computable = self.computable
        amount = self.compute(f, validated, t)
        return t.result(self.code, amount)

    def describe(self) -> dict[str, object]:
        """Metadata for forms, the policy library and the API (JSON-serialisable)."""
        return {
            "code": self.code,
            "policy": self.policy,
            "article": self.article,
            "title": self.title,
            "doc": self.doc,
            "facts": [f.to_dict() for f in self.facts],
            "params": [p.to_dict() for p in self.params],
            "combine": self.combine,
            "combine_label": COMBINES[self.combine],
            "is_ceiling": self.is_ceiling,
            "computable": self.computable,
            "stacking_groups": list(self.stacking_groups),
            "paid_for": self.paid_for,
            "subject_label": periods.subject_label(self),
            "version": self.version,
        }

    def check_declaration(self) -> None:
        """Raise SpecError when the declaration is malformed (run at registration)."""
        problems = []
        if not CODE_RE.match(self.code or ""):
            problems.append(f"code {self.code!r} does not look like 'zzw-2022-155/2'")
        if not self.article or not self.title:
            problems.append("article and title are required")
        if not self.doc:
            problems.append("the docstring (article citation and quote) is required")
        if self.combine not in COMBINES:
            problems.append(f"combine must be one of {sorted(COMBINES)}")
        for kind, items in (("fact", self.facts), ("param", self.params)):
            names = [i.name for i in items]
            if len(names) != len(set(names)):
                problems.append(f"duplicate {kind} names: {names}")
        if self.annual_cap_param and self.annual_cap_param not in {p.name for p in self.params}:
            problems.append(f"annual_cap_param {self.annual_cap_param!r} is not a param")
        if (self.paid_per or periods.YEAR) not in periods.PAID_PER:
            problems.append(f"paid_per must be one of {sorted(periods.PAID_PER)}")
        if self.subject_kind not in ("", "none", *periods.SUBJECT_KINDS):
            problems.append(f"subject_kind must be one of {sorted(periods.SUBJECT_KINDS)}")
        if self.fixed_period and periods.parse_period(self.fixed_period) is None:
            problems.append(f"fixed_period {self.fixed_period!r} is not a period")
        param_names = {p.name for p in self.params}
        for name in self.enterprise_cap_params:
            if name not in param_names:
                problems.append(f"enterprise_cap_params: {name!r} is not a param")
        if problems:
            raise SpecError(f"clause {self.code}: " + "; ".join(problems))
