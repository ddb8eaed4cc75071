"""The award engine: pure Python (no Django), ``calculate(code, facts) -> AwardResult``.

Every caller (CLI ``calculate_award``, the API, the calculator page, reviewers, the 免申即享
batch) calls ``calculate()``. Clauses are registered under their contract code
(``zzw-2022-155/2`` = 郑政文〔2022〕155号 第2条) in ``policies/engine/clauses/``; every module
there is imported automatically.

Declaring a clause **by class** (formula shape in code, numbers in params)::

    from portal.core.money import ZERO
    from policies.engine import Clause, ParamSpec, blocks, register
    from policies.engine.facts import flag, money

    @register
    class Zz2023_23_13(Clause):
        \"\"\"郑政〔2023〕23号 第13条：“企业获得发明专利，其专利产品2年内年销售收入达到
        2000万元以上的，按照不超过销售收入的2%给予奖励，最高奖励不超过500万元。”\"\"\"

        code, article, title = "zz-2023-23/13", "第13条", "专利产品产业化"
        is_ceiling = True
        facts = (flag("invention_patent", "获得发明专利"),
                 money("patent_product_sales", "专利产品年销售收入"))
        params = (ParamSpec("threshold", "销售收入门槛", "threshold", ">=20000000"),
                  ParamSpec("rate", "奖励比例", "percent", "2"),
                  ParamSpec("cap", "最高奖励", "cap", "5000000"))

        def compute(self, f, p, t):
            if not t.check(f["invention_patent"], "企业获得发明专利", "企业未获得发明专利"):
                return ZERO
            return blocks.percent_of(t, "专利产品销售奖励", f["patent_product_sales"],
                                     p["rate"], p["cap"], p["threshold"])

Declaring a clause **by spec** (data only; see ``policies/engine/spec.py`` for node types)::

    from policies.engine import register_spec

    register_spec(
        "zzb-2022-51/3",
        {"type": "percent_capped", "base": "equipment_investment", "rate": "10",
         "cap": "5000000", "conditions": ["above_scale",
                                         {"fact": "total_investment", "op": ">=",
                                          "value": "20000000"}]},
        {"article": "第3条", "title": "技术改造奖励",
         "doc": "郑政办〔2022〕51号 第3条：“……按设备投资额的10%给予奖励，最高500万元。”",
         "facts": [{"name": "above_scale", "label": "规模以上企业", "kind": "bool"},
                   {"name": "total_investment", "label": "项目总投资", "kind": "money"},
                   {"name": "equipment_investment", "label": "设备投资额", "kind": "money"}]},
    )

Cross-case rules (从高不重复 groups, 级差, once-only, annual caps) live in
``policies.engine.stacking``: ``apply_stacking(candidate, earlier)`` and
``undeclared_overlaps()``; a clause declares ``matters``, ``stacking_groups``, ``stacks_with``,
``ladder``, ``annual_cap_param``, ``once_per_enterprise``, ``enterprise_cap_params`` (caps over
the policy period) and ``stacking_parts`` (its result's ``parts`` split the amount by group).
What one award is for (``paid_per``, ``subject_kind``, ``fixed_period``) and the key that makes
two cases the same award are in ``policies.engine.periods``.

Comparators are explicit: ``">="`` for 以上/达到/不低于/含, ``">"`` for 超过/高于.
Errors: ``EngineError`` (``.errors`` dict, ``.message`` one line) and its subclasses
``UnknownClause``, ``FactError``, ``ParamError``. Money is Decimal, rounded half up to the fen
by ``portal.core.money.round_fen``; never float.
"""

from __future__ import annotations

from collections.abc import Mapping

from . import blocks, definitions
from .clause import Clause
from .errors import EngineError, FactError, ParamError, SpecError, UnknownClause
from .facts import FactSpec
from .params import ParamSpec
from .registry import (
    add_source,
    all_clauses,
    class_clause,
    class_codes,
    clause_codes,
    get_clause,
    register,
    register_clause,
    remove_source,
    replaced_codes,
)
from .result import AwardResult, Step, Trace
from .spec import DataClause, register_spec, spec_clause, spec_codes
from .thresholds import Threshold, Tier, ge, gt

ENGINE_VERSION = "1.0"

__all__ = [
    "ENGINE_VERSION",
    "AwardResult",
    "Clause",
    "DataClause",
    "EngineError",
    "FactError",
    "FactSpec",
    "ParamError",
    "ParamSpec",
    "SpecError",
    "Step",
    "Threshold",
    "Tier",
    "Trace",
    "UnknownClause",
    "add_source",
    "all_clauses",
    "blocks",
    "calculate",
    "class_clause",
    "class_codes",
    "clause_codes",
    "definitions",
    "ge",
    "get_clause",
    "gt",
    "register",
    "register_clause",
    "register_spec",
    "remove_source",
    "replaced_codes",
    "spec_clause",
    "spec_codes",
]


def calculate(
    code: str, facts: Mapping[str, object], *, params: Mapping[str, object] | None = None
) -> AwardResult:
    """Compute the award of clause ``code`` for ``facts``.

    ``params`` overrides the clause's editable parameters (a new policy version's values);
    ``None`` uses the defaults from the policy text. Raises ``UnknownClause``, ``FactError``
    or ``ParamError`` (all ``EngineError``) — never returns a silent 0 for bad input.
    """
    return get_clause(code).calculate(facts, params)
