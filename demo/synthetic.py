"""Synthetic enterprises with figures, bulk-inserted: for the real-worker test and the benchmark."""

from __future__ import annotations

from django.utils import timezone
from stdnum.cn import uscc

from enterprises.models import Enterprise, Indicator, IndicatorSource
from portal.accounts.models import District

FIGURES_PER_ENTERPRISE = 20  # what ``_figures`` inserts for each enterprise


def credit_code(n: int) -> str:
    first17 = f"91410100MB{n:07d}"
    return first17 + uscc.calc_check_digit(first17)


def generate(count: int, *, start: int = 0, batch: int = 5000) -> list[int]:
    """``count`` verified enterprises with Q1/yearly revenue and monthly electricity."""
    district = District.objects.order_by("pk").first()
    now = timezone.now()
    ids: list[int] = []
    for offset in range(0, count, batch):
        numbers = range(start + offset, start + min(offset + batch, count))
        enterprises = Enterprise.objects.bulk_create(
            [
                Enterprise(
                    credit_code=credit_code(n),
                    name=f"郑州合成{n}制造有限公司",
                    district=district,
                    industry_section="C" if n % 4 else "F",
                    industry_division="34" if n % 4 else "51",
                    above_scale=n % 5 != 0,
                    legal_representative="张三",
                    contact_name="李四",
                    contact_mobile="13800138000",
                    bank_name="中国银行郑州金水支行",
                    bank_account="6217000010001234567",
                    bank_account_name=f"郑州合成{n}制造有限公司",
                    verification_status=Enterprise.Status.VERIFIED,
                    verified_at=now,
                )
                for n in numbers
            ]
        )
        Indicator.objects.bulk_create(
            [row for e, n in zip(enterprises, numbers, strict=True) for row in _figures(e.pk, n)],
            batch_size=10000,
        )
        ids.extend(e.pk for e in enterprises)
    return ids


def _figures(enterprise_id: int, n: int) -> list[Indicator]:
    base = 20_000_000 + (n * 7919) % 200_000_000  # yuan
    growth = (n * 31) % 45  # percent
    values = {
        ("revenue", "2022Q1"): base * 100,
        ("revenue", "2023Q1"): base * (100 + growth),
        ("revenue", "2021"): base * 380,
        ("revenue", "2022"): base * 400 + n % 1000,
        ("revenue", "2023"): base * (400 + growth * 4),
    }
    peak = 100_000 + (n % 9) * 10_000
    for m in range(1, 13):
        values[("electricity_kwh", f"2022-{m:02d}")] = peak - (m % 4) * 5_000
    for m in range(1, 4):
        values[("electricity_kwh", f"2023-{m:02d}")] = 80_000 + (n % 13) * 6_000
    return [
        Indicator(
            enterprise_id=enterprise_id,
            name=name,
            period=period,
            value=value,
            source=IndicatorSource.IMPORTED if n % 2 else IndicatorSource.SELF_REPORTED,
            department="市统计局" if n % 2 else "",
        )
        for (name, period), value in values.items()
    ]
