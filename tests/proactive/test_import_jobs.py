"""Large department files are imported by a task: the page answers at once, the job shows
its progress and its report; a job runs once (a redelivered task changes nothing)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from enterprises.models import Indicator, IndicatorSource
from proactive import services, sources
from proactive.models import GovImport, GovImportJob, GovRecord
from tests.proactive.conftest import sample

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def small_threshold(settings, tmp_path):
    settings.PROACTIVE_IMPORT_SYNC_BYTES = 100  # every sample file counts as large here
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private")},
        },
    }


def post(client, name: str, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post("/proactive/imports/", {"source": "stats", "file": sample(name)})


def test_a_large_file_is_imported_in_the_background_with_its_report(
    client, policy_admin, demo_enterprises, django_capture_on_commit_callbacks, monkeypatch
):
    seen: list[tuple[int, int]] = []  # (rows reported, rows the job row says meanwhile)
    parse = sources.parse_file

    def watched(*args, progress, **kwargs):
        def report(rows: int) -> None:
            progress(rows)
            seen.append((rows, GovImportJob.objects.get().rows_read))

        return parse(*args, progress=report, **kwargs)

    monkeypatch.setattr(sources, "PROGRESS_EVERY", 2)
    monkeypatch.setattr(sources, "parse_file", watched)
    client.force_login(policy_admin)
    response = post(client, "统计局-营业收入-2023Q1.csv", django_capture_on_commit_callbacks)
    assert response.status_code == 302
    job = GovImportJob.objects.get()
    assert job.status == GovImportJob.Status.DONE and job.batch == GovImport.objects.get()
    assert (job.rows_read, job.report["rows_imported"]) == (9, 9)
    assert seen == [(2, 2), (4, 4), (6, 6), (8, 8)]  # progress on the job while reading
    assert not job.file  # the kept file is gone once imported
    assert Indicator.objects.filter(source=IndicatorSource.IMPORTED).exists()
    page = client.get("/proactive/imports/").content.decode()
    assert "后台导入" in page and "已导入" in page and 'http-equiv="refresh"' not in page


def test_a_large_file_with_bad_rows_imports_nothing_and_lists_them(
    client, policy_admin, demo_enterprises, django_capture_on_commit_callbacks
):
    client.force_login(policy_admin)
    post(client, "统计局-营业收入-含错误行.csv", django_capture_on_commit_callbacks)
    job = GovImportJob.objects.get()
    assert job.status == GovImportJob.Status.REJECTED
    assert [row for row, _ in job.report["rejected"]] == [3, 4, 5, 6]
    assert "本次未导入任何数据" in job.report["error"]
    assert not GovImport.objects.exists() and not GovRecord.objects.exists()
    assert "第3行" in client.get("/proactive/imports/").content.decode()


def test_a_queued_job_shows_on_a_refreshing_page_and_runs_once(client, policy_admin, db):
    client.force_login(policy_admin)
    job = services.gov_import_start(
        actor=policy_admin, source="stats", file=sample("统计局-营业收入-2023Q1.csv")
    )
    page = client.get("/proactive/imports/").content.decode()
    assert "排队中" in page and 'http-equiv="refresh"' in page
    assert services.gov_import_job_run(job_id=job.pk).status == GovImportJob.Status.DONE
    again = services.gov_import_job_run(job_id=job.pk)  # a redelivered task
    assert again.status == GovImportJob.Status.DONE and GovImport.objects.count() == 1


def test_small_files_are_still_imported_at_once(client, policy_admin, settings, db):
    settings.PROACTIVE_IMPORT_SYNC_BYTES = 1024 * 1024
    client.force_login(policy_admin)
    response = client.post(
        "/proactive/imports/",
        {
            "source": "stats",
            "file": SimpleUploadedFile("a.csv", sample("统计局-营业收入-2023Q1.csv").read()),
        },
    )
    assert response.status_code == 200 and not GovImportJob.objects.exists()
    assert GovImport.objects.count() == 1


def test_the_api_answers_a_large_file_with_its_job_and_lists_the_jobs(
    client, policy_admin, enterprise_user, demo_enterprises, django_capture_on_commit_callbacks
):
    client.force_login(policy_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/v1/proactive/imports/upload/",
            {"source": "stats", "file": sample("统计局-营业收入-2023Q1.csv")},
        )
    assert response.status_code == 202
    assert response.json()["status"] == "queued"  # as it was when the request answered
    [job] = client.get("/api/v1/proactive/import-jobs/").json()["results"]
    assert (job["status"], job["rows_read"], job["report"]["rows_imported"]) == ("done", 9, 9)
    assert job["batch"] == GovImport.objects.get().pk
    client.force_login(enterprise_user)
    assert client.get("/api/v1/proactive/import-jobs/").status_code == 403
