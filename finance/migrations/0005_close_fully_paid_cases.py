"""Cases whose award was fully paid before 已拨付（办结） existed move there now, each with the
event the transition service would have written (actor: the system). The dashboard summary is
rebuilt from the source tables nightly (or ``manage.py rebuild_dashboard_summary``); the audit
copy of the new events is made by the next catch-up."""

from django.db import migrations
from django.utils import timezone

OPEN = ("scheduled", "in_batch", "failed")


def forwards(apps, schema_editor):
    Application = apps.get_model("applications", "Application")
    ApplicationEvent = apps.get_model("applications", "ApplicationEvent")
    PayableShare = apps.get_model("finance", "PayableShare")
    candidates = (
        Application.objects.filter(status="determined", payables__shares__status="paid")
        .exclude(payables__shares__status__in=OPEN)
        .distinct()
        .order_by("pk")
    )
    now = timezone.now()
    for application in candidates.iterator():
        paid = list(
            PayableShare.objects.filter(payable__application=application, status="paid").order_by(
                "payable__instalment_no", "payer_level"
            )
        )
        total = sum(s.amount_fen for s in paid)
        vouchers = "、".join(s.voucher_no for s in paid)
        Application.objects.filter(pk=application.pk, status="determined").update(
            status="paid", due_on=None, updated_at=now
        )
        ApplicationEvent.objects.create(
            application_id=application.pk,
            actor=None,
            action="pay_complete",
            level="finance",
            from_status="determined",
            to_status="paid",
            comment=f"奖补资金共 {total // 100:,}.{total % 100:02d} 元已全部拨付（凭证号 {vouchers}）。",
            visible_to_enterprise=True,
            data={"paid_fen": total, "vouchers": [s.voucher_no for s in paid], "migrated": True},
            created_at=now,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("finance", "0004_share_payee_frozen"),
        ("applications", "0006_paid_status"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
