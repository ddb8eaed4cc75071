"""补正 round 2 on the reviewer's page: what the last return asked for, and what came back.

Approval already needs every material and fact checked again in the new round
(``selectors.unchecked_items``: a return starts a new round); this module only says which of
them were corrected, with the file or value before and after, so the reviewer looks there first.
"""

from __future__ import annotations

from dataclasses import dataclass

from applications.models import Application, Material, target_label
from applications.workflow import Action, Status
from policies import engine

REVIEW_STATUSES = (Status.DISTRICT_REVIEW, Status.CITY_REVIEW)


@dataclass(frozen=True)
class CorrectedItem:
    kind: str  # material / fact
    target: str
    label: str
    message: str  # what the reviewer asked for
    resolution: str  # what the enterprise said it did
    before: str  # a fact's value when returned, in words
    after: str  # a fact's value now, in words
    old_file: Material | None  # the file the return looked at
    new_file: Material | None  # the file uploaded since (None: not replaced)

    @property
    def changed(self) -> bool:
        return self.new_file is not None if self.kind == "material" else self.before != self.after


def correction_round(application: Application) -> list[CorrectedItem]:
    """The items of the latest return for correction, once the case is back in review after
    the enterprise resubmitted it; [] otherwise (a first round has nothing corrected)."""
    if application.status not in REVIEW_STATUSES:
        return []
    returned = (
        application.events.filter(action=Action.RETURN_FOR_CORRECTION)
        .order_by("-created_at", "-id")
        .first()
    )
    if (
        returned is None
        or not application.events.filter(
            action=Action.RESUBMIT, created_at__gte=returned.created_at
        ).exists()
    ):
        return []
    specs = {s.name: s for s in engine.get_clause(application.clause.code).facts}
    facts_then = (returned.data or {}).get("facts_at_return") or {}
    materials = list(application.materials.order_by("uploaded_at", "id"))
    code = application.clause.code
    items = []
    for item in returned.items.order_by("id"):
        before = after = ""
        old_file = new_file = None
        if item.kind == "fact" and item.target in specs:
            spec = specs[item.target]
            before = spec.display(facts_then.get(item.target))
            after = spec.display(application.facts.get(item.target))
        else:
            versions = [m for m in materials if m.item == item.target]
            then = [m for m in versions if m.uploaded_at <= returned.created_at]
            old_file = then[-1] if then else None
            new_file = next(
                (m for m in versions if m.active and m.uploaded_at > returned.created_at), None
            )
        items.append(
            CorrectedItem(
                kind=item.kind,
                target=item.target,
                label=target_label(code, item.kind, item.target),
                message=item.message,
                resolution=item.resolution,
                before=before,
                after=after,
                old_file=old_file,
                new_file=new_file,
            )
        )
    return items
