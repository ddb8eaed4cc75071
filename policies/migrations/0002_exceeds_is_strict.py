"""首次超过 excludes the number (民法典 第1259条; award-contract.md corrected 2026-12).

Rule versions are never edited: where a clause's newest version still reads "首次超过" as ≥,
a new version with the same effective date (so it wins on every day the old one applied)
reads it as >. Nothing to do on a fresh database: load_policies writes the corrected defaults.
"""

from django.db import migrations

STRICT = {
    "zz-2023-23/5": ["levels"],
    "zz-2023-23/6": ["levels"],
    "zzb-2022-53/6": ["first_threshold"],
}
NOTE = "按民法典第1259条更正：“首次超过”不含本数（由“达到”改为“超过”）"


def _strict(value):
    if isinstance(value, list):
        return [_strict(item) for item in value]
    if isinstance(value, dict) and value.get("op") == ">=":
        return {**value, "op": ">"}
    return value


def forwards(apps, schema_editor):
    Clause = apps.get_model("policies", "Clause")
    Version = apps.get_model("policies", "ClauseRuleVersion")
    for clause in Clause.objects.filter(code__in=STRICT):
        latest = Version.objects.filter(clause=clause).order_by("-number").first()
        if latest is None:
            continue
        params = dict(latest.params)
        for name in STRICT[clause.code]:
            if name in params:
                params[name] = _strict(params[name])
        if params == latest.params:
            continue
        Version.objects.create(
            clause=clause,
            number=latest.number + 1,
            params=params,
            effective_from=latest.effective_from,
            note=NOTE,
        )


class Migration(migrations.Migration):
    dependencies = [("policies", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
