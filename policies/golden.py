"""The golden cases (``policies/golden/*.yaml``): worked examples from the policy texts.

The test suite checks every one against the engine; the rule editor's impact preview shows
how a changed rule would move them.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

GOLDEN_DIR = Path(__file__).resolve().parent / "golden"


@cache
def _all_cases() -> tuple[dict, ...]:
    cases: list[dict] = []
    for path in sorted(GOLDEN_DIR.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        items = data.get("cases", []) if isinstance(data, dict) else data
        cases.extend(dict(item, file=path.name) for item in items)
    return tuple(cases)


def golden_cases(code: str | None = None) -> list[dict]:
    """The cases of ``code`` (all when None) that use the text's own rule (no param overrides)."""
    return [
        c for c in _all_cases() if (code is None or c.get("clause") == code) and not c.get("params")
    ]
