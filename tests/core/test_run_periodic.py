"""Without beat (the embedded default) the periodic jobs run by name from the command line."""

import pytest
from django.core.management import CommandError, call_command

from portal.core.models import Heartbeat

pytestmark = pytest.mark.django_db


def test_lists_the_jobs(capsys):
    call_command("run_periodic")
    out = capsys.readouterr().out
    assert "proactive-recompute-proposals" in out and "finance.tasks.send_payment_reminders" in out


def test_runs_a_job_in_process(capsys):
    call_command("run_periodic", "heartbeat")
    assert Heartbeat.objects.count() == 1
    assert capsys.readouterr().out.startswith("heartbeat: ")


def test_an_unknown_name_is_refused_in_chinese():
    with pytest.raises(CommandError, match="没有这个定时任务：nightly"):
        call_command("run_periodic", "nightly")
