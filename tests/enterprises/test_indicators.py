"""Indicators one at a time and by Excel: all or nothing, every bad row reported."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from enterprises import services
from enterprises.excel import indicator_template
from enterprises.models import EnterpriseEvent, Indicator, IndicatorImport, IndicatorSource
from portal.core.errors import DomainError, PermissionRefused
from tests.enterprises.conftest import make_xlsx

pytestmark = pytest.mark.django_db
T = EnterpriseEvent.Type

GOOD_ROWS = [
    ("营业收入", "2022Q1", 100000000),
    ("营业收入", "2023Q1", "135,000,000.00"),
    ("revenue", "2022", 460000000.5),
    ("用电量", "2023-01", 1300000),
    ("从业人员", 2022, 680),
    ("出口额", "2022", "120000000"),
]


def test_set_creates_then_updates_with_events(enterprise, enterprise_user):
    first = services.indicator_set(
        enterprise=enterprise,
        actor=enterprise_user,
        name="营业收入",
        period="2023q1",
        value="135000000",
    )
    assert (first.name, first.period, first.value, first.source) == (
        "revenue",
        "2023Q1",
        13_500_000_000,
        IndicatorSource.SELF_REPORTED,
    )
    services.indicator_set(
        enterprise=enterprise,
        actor=enterprise_user,
        name="revenue",
        period="2023Q1",
        value="136000000.5",
    )
    first.refresh_from_db()
    assert first.value_text == "136000000.50"
    events = list(enterprise.events.filter(type=T.INDICATOR_SET).order_by("id"))
    assert [(e.data["from"], e.data["to"]) for e in events] == [
        (None, "135000000.00"),
        ("135000000.00", "136000000.50"),
    ]


def test_set_reports_every_bad_field(enterprise, enterprise_user):
    with pytest.raises(DomainError) as exc:
        services.indicator_set(
            enterprise=enterprise,
            actor=enterprise_user,
            name="revenue",
            period="2023Q9",
            value="-1",
        )
    assert "期间格式不正确" in exc.value.errors["period"] and "负数" in exc.value.errors["value"]
    assert not Indicator.objects.exists()


def test_department_figures_live_alongside_and_never_overwrite(
    enterprise, enterprise_user, policy_admin
):
    services.indicator_set(
        enterprise=enterprise,
        actor=enterprise_user,
        name="revenue",
        period="2023Q1",
        value="135000000",
    )
    with pytest.raises(PermissionRefused):
        services.indicator_set(
            enterprise=enterprise,
            actor=enterprise_user,
            name="revenue",
            period="2023Q1",
            value="1",
            department="市统计局",
        )
    services.indicator_set(
        enterprise=enterprise,
        actor=policy_admin,
        name="revenue",
        period="2023Q1",
        value="130000000",
        department="市统计局",
    )
    rows = {i.source: i.value_text for i in enterprise.indicators.all()}
    assert rows == {"self_reported": "135000000.00", "imported": "130000000.00"}
    with pytest.raises(PermissionRefused):  # staff cannot write the enterprise's own figures
        services.indicator_set(
            enterprise=enterprise, actor=policy_admin, name="revenue", period="2023Q2", value="1"
        )


def test_good_workbook_imports_every_row(enterprise, enterprise_user):
    batch = services.indicators_import_excel(
        enterprise=enterprise, actor=enterprise_user, file=make_xlsx(GOOD_ROWS)
    )
    assert batch.rows_count == 6 and batch.file_name == "指标.xlsx"
    stored = {(i.name, i.period): i.value_text for i in enterprise.indicators.all()}
    assert stored == {
        ("revenue", "2022Q1"): "100000000.00",
        ("revenue", "2023Q1"): "135000000.00",
        ("revenue", "2022"): "460000000.50",
        ("electricity_kwh", "2023-01"): "1300000",
        ("employees", "2022"): "680",
        ("exports", "2022"): "120000000.00",
    }
    assert all(i.import_batch_id == batch.pk for i in enterprise.indicators.all())
    event = enterprise.events.get(type=T.INDICATORS_IMPORTED)
    assert event.data["rows"] == 6 and event.data["created"] == 6 and event.actor == enterprise_user


def test_reimport_updates_in_place(enterprise, enterprise_user):
    services.indicators_import_excel(
        enterprise=enterprise, actor=enterprise_user, file=make_xlsx(GOOD_ROWS)
    )
    services.indicators_import_excel(
        enterprise=enterprise,
        actor=enterprise_user,
        file=make_xlsx([("营业收入", "2023Q1", 140000000)]),
    )
    assert enterprise.indicators.count() == 6
    assert enterprise.indicators.get(period="2023Q1").value_text == "140000000.00"
    assert IndicatorImport.objects.count() == 2


def test_one_bad_row_imports_nothing_and_names_row_and_reason(enterprise, enterprise_user):
    rows = [
        *GOOD_ROWS,
        ("利润", "2023", 1),  # row 8: unknown name
        ("营业收入", "2023Q5", 1),  # row 9: bad period
        ("营业收入", "2023Q2", "一百万"),  # row 10: not a number
        ("营业收入", "2023Q3", -5),  # row 11: negative
        ("营业收入", "2023Q1", 1),  # row 12: duplicate of row 3
    ]
    with pytest.raises(services.IndicatorImportError) as exc:
        services.indicators_import_excel(
            enterprise=enterprise, actor=enterprise_user, file=make_xlsx(rows)
        )
    problems = dict(exc.value.row_errors)
    assert set(problems) == {8, 9, 10, 11, 12}
    assert "未知的指标名称“利润”" in problems[8]
    assert "期间格式不正确" in problems[9]
    assert "不是数字" in problems[10]
    assert "负数" in problems[11]
    assert "与第3行重复" in problems[12]
    assert exc.value.errors["row_9"].startswith("第9行：")
    assert "未导入任何数据" in exc.value.errors["file"]
    assert not Indicator.objects.exists() and not IndicatorImport.objects.exists()
    assert not EnterpriseEvent.objects.filter(type=T.INDICATORS_IMPORTED).exists()


def test_blank_rows_are_skipped_and_row_numbers_stay_true(enterprise, enterprise_user):
    rows = [("营业收入", "2023Q1", 1), (None, None, None), ("营业收入", "bad", 1)]
    with pytest.raises(services.IndicatorImportError) as exc:
        services.indicators_import_excel(
            enterprise=enterprise, actor=enterprise_user, file=make_xlsx(rows)
        )
    assert [row for row, _ in exc.value.row_errors] == [4]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "不是 Excel 工作簿"),  # old .xls
        ("指标,期间,数值\n营业收入,2023Q1,1\n".encode(), "不是 Excel 工作簿"),  # CSV renamed
        (b"PK\x03\x04garbage", "已损坏"),
        (b"", "空的"),
    ],
)
def test_files_that_are_not_real_xlsx_are_refused(enterprise, enterprise_user, content, expected):
    upload = SimpleUploadedFile("指标.xlsx", content)
    with pytest.raises(DomainError) as exc:
        services.indicators_import_excel(enterprise=enterprise, actor=enterprise_user, file=upload)
    assert expected in exc.value.errors["file"]
    assert not Indicator.objects.exists()


def test_a_zip_that_is_not_a_workbook_is_refused(enterprise, enterprise_user):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    upload = SimpleUploadedFile("renamed.xlsx", buffer.getvalue())
    with pytest.raises(DomainError) as exc:
        services.indicators_import_excel(enterprise=enterprise, actor=enterprise_user, file=upload)
    assert "不是 Excel 工作簿" in exc.value.errors["file"]


def test_files_over_5mb_are_refused(enterprise, enterprise_user):
    upload = SimpleUploadedFile("big.xlsx", b"PK\x03\x04" + b"0" * (5 * 1024 * 1024))
    with pytest.raises(DomainError) as exc:
        services.indicators_import_excel(enterprise=enterprise, actor=enterprise_user, file=upload)
    assert "5MB" in exc.value.errors["file"]


def test_wrong_header_and_empty_sheet(enterprise, enterprise_user):
    with pytest.raises(DomainError) as exc:
        services.indicators_import_excel(
            enterprise=enterprise,
            actor=enterprise_user,
            file=make_xlsx([("营业收入", "2023Q1", 1)], header=("名称", "时间", "金额")),
        )
    assert "表头" in exc.value.errors["file"]
    with pytest.raises(DomainError) as exc:
        services.indicators_import_excel(
            enterprise=enterprise, actor=enterprise_user, file=make_xlsx([])
        )
    assert "没有数据行" in exc.value.errors["file"]


def test_template_has_the_columns_the_instructions_and_imports_once_filled(
    enterprise, enterprise_user
):
    workbook = load_workbook(io.BytesIO(indicator_template()))
    assert workbook.sheetnames[:2] == ["指标", "填写说明"]
    assert [c.value for c in workbook["指标"][1]] == ["指标", "期间", "数值"]
    guide = "\n".join(
        str(c.value) for row in workbook["填写说明"].iter_rows() for c in row if c.value
    )
    assert "营业收入" in guide and "2023Q1" in guide and "整个文件都不会导入" in guide
    sheet = workbook["指标"]
    sheet.append(["营业收入", "2023Q1", 135000000])
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload = SimpleUploadedFile("filled.xlsx", buffer.getvalue())
    batch = services.indicators_import_excel(
        enterprise=enterprise, actor=enterprise_user, file=upload
    )
    assert batch.rows_count == 1


def test_indicators_page_add_edit_delete(client, enterprise, enterprise_user):
    client.force_login(enterprise_user)
    url = reverse("enterprises:indicators")
    bad = client.post(url, {"name": "revenue", "period": "2023Q5", "value": "x"})
    assert bad.status_code == 400
    assert "期间格式不正确" in bad.content.decode() and "不是数字" in bad.content.decode()
    ok = client.post(
        url, {"name": "revenue", "period": "2023Q1", "value": "135000000"}, follow=True
    )
    body = ok.content.decode()
    assert "已保存" in body and "135,000,000" in body and "2023年第一季度" in body
    indicator = enterprise.indicators.get()
    edit = client.get(url + f"?edit={indicator.pk}").content.decode()
    assert 'value="135000000.00"' in edit and 'value="2023Q1"' in edit
    client.post(reverse("enterprises:indicator_delete", args=[indicator.pk]))
    assert not enterprise.indicators.exists()
    assert enterprise.events.filter(type=T.INDICATOR_DELETED).exists()


def test_indicators_page_upload_shows_error_table(client, enterprise, enterprise_user):
    client.force_login(enterprise_user)
    upload = make_xlsx([("营业收入", "2023Q1", 1), ("营业收入", "2023Q2", -1)])
    response = client.post(reverse("enterprises:indicators_import"), {"file": upload})
    body = response.content.decode()
    assert response.status_code == 400
    assert "第3行" in body and "负数" in body and "未导入任何数据" in body
    assert not Indicator.objects.exists()
    renamed = SimpleUploadedFile("假的.xlsx", b"just text")
    body = client.post(reverse("enterprises:indicators_import"), {"file": renamed}).content.decode()
    assert "不是 Excel 工作簿" in body
    good = make_xlsx(GOOD_ROWS)
    response = client.post(reverse("enterprises:indicators_import"), {"file": good}, follow=True)
    assert "6行" in response.content.decode() and Indicator.objects.count() == 6


def test_template_download(client, enterprise_user):
    client.force_login(enterprise_user)
    response = client.get(reverse("enterprises:indicators_template"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response.content.startswith(b"PK\x03\x04")


def test_api_indicators_list_set_and_import(client, enterprise, enterprise_user):
    client.force_login(enterprise_user)
    response = client.post(
        "/api/v1/enterprises/me/indicators/",
        {"name": "revenue", "period": "2023Q1", "value": 135000000},
        content_type="application/json",
    )
    assert response.status_code == 201 and response.json()["value"] == "135000000.00"
    response = client.post(
        "/api/v1/enterprises/me/indicators/",
        {"name": "revenue", "period": "2023-13", "value": "abc"},
        content_type="application/json",
    )
    assert response.status_code == 400 and set(response.json()["errors"]) == {"period", "value"}
    response = client.post(
        "/api/v1/enterprises/me/indicators/import/",
        {"file": make_xlsx([("营业收入", "2022Q1", 100000000), ("营业收入", "2022Q2", "x")])},
    )
    assert response.status_code == 400
    assert "第3行" in response.json()["errors"]["row_3"]
    response = client.post(
        "/api/v1/enterprises/me/indicators/import/",
        {"file": make_xlsx([("营业收入", "2022Q1", 1e8)])},
    )
    assert response.status_code == 201 and response.json()["rows_count"] == 1
    listing = client.get("/api/v1/enterprises/me/indicators/").json()
    assert listing["count"] == 2 and {r["period"] for r in listing["results"]} == {
        "2022Q1",
        "2023Q1",
    }
