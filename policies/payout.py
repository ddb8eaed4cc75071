"""A policy's payout target (兑付时限), e.g. 郑政文〔2022〕155号第17条: the year's award money
"按程序应拨尽拨" by 2023-03-31. It is kept on the policy (``Policy.payout_targets``, from the
policy library's YAML) and stands beside every share's own working-day due date: an award
determined, or still unpaid, after its policy's target is late against the policy, whatever
its own due date says.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class PayoutTarget:
    day: dt.date
    article: int | None
    scope: str
    doc_number: str

    @property
    def source(self) -> str:
        article = f"第{self.article}条" if self.article else ""
        return f"{self.doc_number}{article}"

    @property
    def label(self) -> str:
        """e.g. 2023年03月31日前应拨尽拨（郑政文〔2022〕155号第17条）"""
        return f"{self.day:%Y年%m月%d日}前应拨尽拨（{self.source}）"


def _targets(raw: Iterable[object] | None, doc_number: str) -> list[PayoutTarget]:
    found = []
    for target in raw or []:
        if not isinstance(target, dict):
            continue
        try:
            day = dt.date.fromisoformat(str(target.get("date")))
        except (TypeError, ValueError):
            continue
        article = target.get("article")
        found.append(
            PayoutTarget(
                day=day,
                article=article if isinstance(article, int) else None,
                scope=str(target.get("scope") or ""),
                doc_number=doc_number,
            )
        )
    return found


def payout_target(policy) -> PayoutTarget | None:
    """The policy's last payout target (the date by which all its money must be paid)."""
    if policy is None:
        return None
    found = _targets(getattr(policy, "payout_targets", None), getattr(policy, "doc_number", ""))
    return max(found, key=lambda t: t.day) if found else None


def payout_target_from(raw: Iterable[object] | None, doc_number: str) -> PayoutTarget | None:
    found = _targets(raw, doc_number)
    return max(found, key=lambda t: t.day) if found else None


def late_against_target(
    target: PayoutTarget | None,
    *,
    determined_on: dt.date | None,
    paid_on: dt.date | None,
    today: dt.date,
) -> bool:
    """Determined after the target, paid after it, or still unpaid once it has passed."""
    if target is None:
        return False
    if determined_on is not None and determined_on > target.day:
        return True
    if paid_on is not None:
        return paid_on > target.day
    return today > target.day
