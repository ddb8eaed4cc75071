"""The reference rows every filter and list needs: policies, clauses and districts, read in one
UNION statement (with whatever rows a caller adds, shaped by ``ref_row``), so a page's own query
joins no reference table. ``reviews.reference`` (the queue) and ``dashboards.reference`` shape
and cache them for their pages.

Every row has the same columns (the ``ref_`` names avoid the models' own fields):

- ``p`` policy: code, label = document number, title, extra = its payout targets (JSON text);
- ``d`` district: code, label = name, number = sort order, active;
- ``c`` clause: code, label = its policy's code, title = its policy's document number,
  number = article, name = "郑政文〔2022〕155号 第5条 支持项目签约开工" (what pages show).
"""

from __future__ import annotations

from django.db.models import BooleanField, CharField, F, IntegerField, QuerySet, TextField, Value
from django.db.models.functions import Cast, Concat

from policies.models import Clause, Policy
from portal.accounts.models import District

# what pages call a clause: "郑政文〔2022〕155号 第5条 支持项目签约开工"
CLAUSE_NAME = Concat(
    "policy__doc_number", Value(" 第"), Cast("article", CharField()), Value("条 "), "title",
    output_field=CharField(),
)  # fmt: skip


# what pages call a clause: "郑政文〔2022〕155号 第5条 支持项目签约开工"
CLAUSE_NAME = Concat(
    "policy__doc_number", Value(" 第"), Cast("article", CharField()), Value("条 "), "title",
    output_field=CharField(),
)  # fmt: skip


def ref_row(
    kind, *, pk, code=None, label=None, title=None, number=None, active=None, name=None, extra=None
) -> dict:
    """The columns of one kind of row (``kind`` a letter, or an expression such as a role)."""
    empty = Value("", output_field=CharField())
    return {
        "ref_kind": Value(kind, output_field=CharField()) if isinstance(kind, str) else kind,
        "ref_id": pk,
        "ref_code": empty if code is None else code,
        "ref_label": empty if label is None else label,
        "ref_title": empty if title is None else title,
        "ref_number": Value(0, output_field=IntegerField()) if number is None else number,
        "ref_active": Value(True, output_field=BooleanField()) if active is None else active,
        "ref_name": empty if name is None else name,
        "ref_extra": Value("", output_field=TextField()) if extra is None else extra,
    }


def reference_rows(*extra: QuerySet) -> dict[str, list[dict]]:
    """Policies, districts, clauses and the ``extra`` rows in one statement, by kind."""
    parts = [
        Policy.objects.values(
            **ref_row(
                "p",
                pk=F("id"),
                code=F("code"),
                label=F("doc_number"),
                title=F("title"),
                extra=Cast("payout_targets", TextField()),
            )
        ),
        District.objects.values(
            **ref_row(
                "d",
                pk=F("id"),
                code=F("code"),
                label=F("name"),
                number=F("sort_order"),
                active=F("active"),
            )
        ),
        Clause.objects.values(
            **ref_row(
                "c",
                pk=F("id"),
                code=F("code"),
                label=F("policy__code"),
                title=F("policy__doc_number"),
                number=F("article"),
                name=CLAUSE_NAME,
            )
        ),
        *extra,
    ]
    rows = parts[0].order_by().union(*(p.order_by() for p in parts[1:]), all=True)
    by_kind: dict[str, list[dict]] = {"p": [], "d": [], "c": []}
    for row in rows:
        by_kind.setdefault(row["ref_kind"], []).append(row)
    return by_kind
