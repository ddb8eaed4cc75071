"""The award contract's entry points: the CLI and POST /api/v1/calculator/ (same JSON out)."""

import json
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]

EXAMPLES = [
    ("zzw-2022-155/2", {"above_scale": True, "manufacturing": True,
                        "revenue_q1_2023": "135000000", "revenue_q1_2022": "100000000"}, "60000.00"),
    ("zzw-2022-155/2", {"above_scale": True, "manufacturing": True,
                        "revenue_q1_2023": "108000000", "revenue_q1_2022": "100000000"}, "0.00"),
    ("zzw-2022-155/5", {"signed_and_started_q1_2023": True, "contract_investment": "1200000000"},
     "300000.00"),
    ("zz-2023-23/5", {"industrial": True, "revenue_year": "11000000000",
                      "revenue_best_before": "4000000000"}, "6000000.00"),
    ("zz-2023-23/15", {"title": "national_demo_factory",
                       "previous_titles": ["provincial_smart_factory"]}, "2500000.00"),
]  # fmt: skip
ERRORS = [
    ("no-such-policy/1", {}, "clause"),
    ("zzw-2022-155/5", {"signed_and_started_q1_2023": True, "contract_investment": "lots"},
     "contract_investment"),
    ("zzw-2022-155/5", {"signed_and_started_q1_2023": True}, "contract_investment"),
    ("zzw-2022-155/2", {"above_scale": "yes", "manufacturing": True, "revenue_q1_2023": "1",
                        "revenue_q1_2022": "1"}, "above_scale"),
    ("zzw-2022-155/2", {"above_scale": True, "manufacturing": True, "revenue_q1_2023": "-5",
                        "revenue_q1_2022": "1"}, "revenue_q1_2023"),
]  # fmt: skip


@pytest.mark.parametrize(("code", "facts", "amount"), EXAMPLES)
def test_cli_gives_contract_json(library, code, facts, amount):
    out = StringIO()
    call_command("calculate_award", code, "--facts", json.dumps(facts), stdout=out)
    body = json.loads(out.getvalue())
    assert body["clause"] == code
    assert body["amount"] == amount
    assert body["eligible"] is (amount != "0.00")
    assert body["reasons"] and all(isinstance(r, str) for r in body["reasons"])
    assert all(set(s) >= {"label", "value"} for s in body["steps"])


@pytest.mark.parametrize(("code", "facts", "amount"), EXAMPLES)
def test_api_gives_the_same_json_as_the_cli(client, library, enterprise_user, code, facts, amount):
    client.force_login(enterprise_user)
    response = client.post(
        "/api/v1/calculator/", {"clause": code, "facts": facts}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    out = StringIO()
    call_command("calculate_award", code, "--facts", json.dumps(facts), stdout=out)
    cli = json.loads(out.getvalue())
    assert body["amount"] == amount
    for key in ("clause", "eligible", "amount", "reasons", "steps"):
        assert body[key] == cli[key]
    assert body["rule_version"] == 1


@pytest.mark.parametrize(("code", "facts", "field"), ERRORS)
def test_api_errors_are_400_with_the_fact_named(
    client, library, enterprise_user, code, facts, field
):
    client.force_login(enterprise_user)
    response = client.post(
        "/api/v1/calculator/", {"clause": code, "facts": facts}, content_type="application/json"
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors.get(field)


def test_api_needs_login(client, library):
    response = client.post("/api/v1/calculator/", {"clause": "zzw-2022-155/5", "facts": {}},
                           content_type="application/json")  # fmt: skip
    assert response.status_code in (401, 403)


def test_api_refuses_non_object_facts(client, library, enterprise_user):
    client.force_login(enterprise_user)
    response = client.post("/api/v1/calculator/", {"clause": "zzw-2022-155/5", "facts": [1]},
                           content_type="application/json")  # fmt: skip
    assert response.status_code == 400
    assert "facts" in response.json()["errors"]


@pytest.mark.parametrize(("code", "facts", "field"), ERRORS[:3])
def test_cli_errors_exit_2_with_one_line(code, facts, field):
    """Run as a real process: exit status and stderr are what a shell script sees."""
    result = subprocess.run(
        [sys.executable, "manage.py", "calculate_award", code, "--facts", json.dumps(facts)],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert code in lines[0] or field in lines[0]
    assert result.stdout == ""


def test_cli_reads_facts_from_stdin_and_reports_bad_json():
    ok = subprocess.run(
        [sys.executable, "manage.py", "calculate_award", "zzw-2022-155/5", "--facts-file", "-"],
        cwd=ROOT, input=json.dumps(EXAMPLES[2][1]), capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["amount"] == "300000.00"
    bad = subprocess.run(
        [sys.executable, "manage.py", "calculate_award", "zzw-2022-155/5", "--facts-file", "-"],
        cwd=ROOT, input="{not json", capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert bad.returncode == 2
    assert "JSON" in bad.stderr and "Traceback" not in bad.stderr
