"""Fill the tally grains by policy (``ps``, ``dps``: the deadline counts once a policy's payout
target has passed) on a database that already has cases (an upgrade): without this the overview
would count no deadline at all until the nightly rebuild. A new database has no facts yet."""

from django.db import migrations


def fill(apps, schema_editor) -> None:
    CaseFact = apps.get_model("dashboards", "CaseFact")
    CaseTally = apps.get_model("dashboards", "CaseTally")
    if not CaseFact.objects.exists() or CaseTally.objects.filter(grain="dps").exists():
        return
    # The application's own set-based recount of every grain from the facts (0005 does the same).
    from dashboards.tallies import tally_rebuild

    with schema_editor.connection.cursor() as cursor:
        tally_rebuild(cursor)


class Migration(migrations.Migration):
    dependencies = [("dashboards", "0005_fill_new_tallies")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
