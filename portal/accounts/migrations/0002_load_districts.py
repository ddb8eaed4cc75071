from django.db import migrations


def load(apps, schema_editor):
    from portal.accounts.districts import DISTRICTS

    District = apps.get_model("accounts", "District")
    for order, (code, name, kind) in enumerate(DISTRICTS, start=1):
        District.objects.update_or_create(
            code=code, defaults={"name": name, "kind": kind, "sort_order": order}
        )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
