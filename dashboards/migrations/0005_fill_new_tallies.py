"""Fill the tallies and enterprise months added in 0003 on a database that already has cases
(an upgrade): without this the dashboard shows 0 enterprises served and no medians until the
nightly rebuild. A new database has no facts yet and skips it."""

from django.db import migrations


def fill(apps, schema_editor) -> None:
    CaseFact = apps.get_model("dashboards", "CaseFact")
    CaseTally = apps.get_model("dashboards", "CaseTally")
    if not CaseFact.objects.exists() or CaseTally.objects.exists():
        return
    # The application's own set-based rebuild (tables as of this migration exist).
    from dashboards.projection import summary_rebuild

    summary_rebuild()


class Migration(migrations.Migration):
    dependencies = [("dashboards", "0004_list_and_breach_indexes")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
