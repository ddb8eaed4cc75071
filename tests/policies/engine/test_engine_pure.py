"""The award engine imports nothing of Django or Celery (issue #19): checked in a clean
interpreter, where nothing else has imported them first."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
FRAMEWORKS = ("django", "celery", "kombu", "rest_framework", "redis", "psycopg")


def test_importing_the_engine_loads_no_framework():
    code = (
        "import json, sys\n"
        "import policies.engine\n"
        "from policies.engine import calculate\n"
        "calculate('zzw-2022-155/5', {'signed_and_started_q1_2023': True,"
        " 'contract_investment': '1200000000'})\n"
        f"print(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}} & set({FRAMEWORKS!r}))))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)},
    )
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == []
