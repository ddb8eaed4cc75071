"""Clause definitions: a clause as data, compiled (never ``eval``-ed) into a ``Clause``.

A definition is a structured tree (a dict, written in YAML by a policy officer or, next, by the
browser editor)::

    code: abc-2024-1/8             # policy code / article
    article: 8
    title: 设备软件补助
    quote: "对……企业，按照不超过设备、软件实际投资的30%给予补助，最高不超过500万元。"
    facts:                          # what the clause needs to know (form fields)
      - {name: qualified, label: 符合条件的企业, type: 是否}
      - {name: equipment_software_investment, label: 设备、软件实际投资, type: 金额}
    when: [qualified]               # conditions: all must hold (see logic.py)
    formula: {type: percent, of: equipment_software_investment, rate: 30, cap: 500万}
    ceiling: true                   # 不超过: the amount is a ceiling a reviewer may lower
    stacking: {groups: [...], subject: project, paid_per: year, fixed_period: 2022Q2, once: true}
    caps: {per_year: 500万}         # 单个企业每年最高 / per_period: 政策期内累计最高
    tests:                          # worked examples; publishing is refused unless all pass
      - {facts: {...}, amount: "3600000.00", why: 投资1200万元×30%}

Functions for callers (the import service, the editor): ``compile_definition`` (validate and
build; ``DefinitionError.messages`` in Chinese naming the part), ``clause_sentence`` /
``condition_text`` / ``formula_text`` (Chinese sentences) and ``test_failures``.
"""

from __future__ import annotations

from .clause import (
    DefinedClause,
    DefinitionError,
    compile_definition,
    definition_version,
    test_failures,
)
from .logic import OPERATORS
from .render import clause_sentence, condition_text, conditions_text, formula_text

__all__ = [
    "OPERATORS",
    "DefinedClause",
    "DefinitionError",
    "clause_sentence",
    "compile_definition",
    "condition_text",
    "conditions_text",
    "definition_version",
    "formula_text",
    "test_failures",
]
