"""The case keeps its enterprise's district (see ``Application.district``): added empty,
filled from the enterprises in one statement, then required and indexed for district queues;
and a partial index for the city's queue."""

import django.db.models.deletion
from django.db import migrations, models

BACKFILL = """
UPDATE applications_application SET district_id = (
    SELECT e.district_id FROM enterprises_enterprise e
    WHERE e.id = applications_application.enterprise_id
)
"""


def backfill(apps, schema_editor) -> None:
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # checked now, not at commit: ALTER TABLE refuses pending (deferred) checks
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(BACKFILL)
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("applications", "0003_application_queue_due_idx"),
        ("enterprises", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="application",
            name="district",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.district",
                verbose_name="所属区县",
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="application",
            name="district",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.district",
                verbose_name="所属区县",
            ),
        ),
        migrations.AddIndex(
            model_name="application",
            index=models.Index(
                fields=["district", "due_on", "id"],
                include=("status",),
                name="application_district_queue_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="application",
            index=models.Index(
                condition=models.Q(
                    ("status__in", ("submitted", "city_review", "returned", "approved", "in_notice"))
                ),
                fields=["due_on", "id"],
                name="application_city_desk_idx",
            ),
        ),
    ]
