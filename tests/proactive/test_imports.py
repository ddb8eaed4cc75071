from contextlib import closing

import pytest

from enterprises.facts import indicator_facts
from enterprises.models import Indicator, IndicatorSource
from portal.core.errors import PermissionRefused
from proactive import services, sources
from proactive.models import GovImport, GovRecord
from tests.proactive.conftest import DEMO_CODES, UNREGISTERED, add_figures, sample

pytestmark = pytest.mark.django_db


def test_a_file_with_bad_rows_imports_nothing_and_reports_every_row(policy_admin, demo_enterprises):
    with pytest.raises(services.GovImportRejected) as caught:
        services.gov_import(
            actor=policy_admin, source="stats", file=sample("统计局-营业收入-含错误行.csv")
        )
    report = caught.value.report
    reasons = dict(report.rejected)
    assert report.rows_read == 5
    assert sorted(reasons) == [3, 4, 5, 6]
    assert "校验位" in reasons[3]
    assert "期间格式不正确" in reasons[4]
    assert "数值不是数字" in reasons[5]
    assert "不能为负数" in reasons[6]
    assert "第3行" in caught.value.errors["row_3"]
    assert not GovImport.objects.exists()
    assert not GovRecord.objects.exists()
    assert not Indicator.objects.filter(source=IndicatorSource.IMPORTED).exists()


def test_import_stages_everything_and_writes_indicators_of_registered_only(
    policy_admin, demo_enterprises
):
    report = services.gov_import(
        actor=policy_admin, source="stats", file=sample("统计局-营业收入-2023Q1.csv")
    )
    assert (report.rows_read, report.rows_imported) == (9, 9)
    assert report.registered == 2
    assert [c for c, _ in report.unregistered] == sorted(
        [UNREGISTERED, "91410100MA9000002Q", "91410100MA9000003U"]
    )
    imported = Indicator.objects.filter(source=IndicatorSource.IMPORTED)
    assert imported.count() == 4
    assert set(imported.values_list("department", flat=True)) == {"市统计局"}
    assert GovRecord.objects.filter(kind="figure").count() == 9
    assert (
        GovRecord.objects.get(credit_code=UNREGISTERED, item="above_scale", period="2023").value
        == 1
    )


def test_importing_the_same_file_twice_changes_nothing(policy_admin, demo_enterprises):
    services.gov_import(
        actor=policy_admin, source="stats", file=sample("统计局-营业收入-2023Q1.csv")
    )
    before = (
        GovImport.objects.count(),
        list(GovRecord.objects.order_by("pk").values_list("pk", "value", "batch_id")),
        list(Indicator.objects.order_by("pk").values_list("pk", "value", "updated_at")),
    )
    again = services.gov_import(
        actor=policy_admin, source="stats", file=sample("统计局-营业收入-2023Q1.csv")
    )
    assert again.already_imported is not None
    after = (
        GovImport.objects.count(),
        list(GovRecord.objects.order_by("pk").values_list("pk", "value", "batch_id")),
        list(Indicator.objects.order_by("pk").values_list("pk", "value", "updated_at")),
    )
    assert after == before


def test_self_reported_figures_are_kept_beside_imported_ones(policy_admin, demo_enterprises):
    enterprise = demo_enterprises[0]
    add_figures(enterprise, {("revenue", "2023Q1"): 13_600_000_000})  # 136,000,000 yuan, own
    services.gov_import(
        actor=policy_admin, source="stats", file=sample("统计局-营业收入-2023Q1.csv")
    )
    rows = dict(
        enterprise.indicators.filter(name="revenue", period="2023Q1").values_list("source", "value")
    )
    assert rows == {
        IndicatorSource.SELF_REPORTED: 13_600_000_000,
        IndicatorSource.IMPORTED: 13_500_000_000,
    }
    assert indicator_facts(enterprise)["revenue_q1_2023"] == "136000000.00"  # own figure wins


def test_xlsx_and_list_files_import(policy_admin, demo_enterprises):
    power = services.gov_import(
        actor=policy_admin, source="power", file=sample("供电公司-用电量-2022至2023Q1.xlsx")
    )
    assert power.rows_imported == 30 and power.registered == 1
    lists = services.gov_import(
        actor=policy_admin, source="miit", file=sample("工信局-认定名单-2023.csv")
    )
    assert lists.rows_imported == 3
    assert GovRecord.objects.filter(item="chain_leader", credit_code=DEMO_CODES[0]).exists()


def test_only_policy_admins_import(enterprise_user):
    with pytest.raises(PermissionRefused):
        services.gov_import(
            actor=enterprise_user, source="stats", file=sample("统计局-营业收入-2023Q1.csv")
        )


def test_every_source_has_a_template_that_imports_as_a_header(policy_admin):
    for spec in sources.SOURCES.values():
        content = sources.template(spec)
        with closing(sources.read_rows(content, spec.template_name)) as rows:
            assert sources._header_ok(spec, next(rows)[1])


def test_import_page_shows_the_report(client, policy_admin, demo_enterprises):
    client.force_login(policy_admin)
    response = client.post(
        "/proactive/imports/",
        {"source": "stats", "file": sample("统计局-营业收入-含错误行.csv")},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "第3行" in page and "校验位" in page and "本次未导入任何数据" in page
    assert client.get("/proactive/imports/template/stats/").status_code == 200
