"""Cases for tests: a clause of 155号 with its window moved around today, and a draft on it."""

import datetime as dt

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from applications.models import Application
from applications.workflow import Status
from policies import engine
from policies.engine import periods
from policies.models import Clause
from tests.factories.accounts import UserFactory
from tests.factories.enterprises import EnterpriseFactory

# zzw-2022-155/5: 申报审核, district_then_city; zzw-2022-155/12: city_only
DISTRICT_CLAUSE = "zzw-2022-155/5"
CITY_CLAUSE = "zzw-2022-155/12"
GOOD_FACTS = {
    DISTRICT_CLAUSE: {"signed_and_started_q1_2023": True, "contract_investment": "1200000000"},
    CITY_CLAUSE: {"cloud_star_rated": True, "voucher_amount": "50000"},
}
PDF_BYTES = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64


def open_window(code: str, *, days: int = 30) -> Clause:
    """The clause with its application window set around today."""
    clause = Clause.objects.get(code=code)
    today = timezone.localdate()
    clause.application_opens = today - dt.timedelta(days=days)
    clause.application_closes = today + dt.timedelta(days=days)
    clause.save(update_fields=["application_opens", "application_closes"])
    return clause


def subject_for(clause: Clause, period: str = "2023") -> str:
    """A subject for clauses paid per project/product/…: one per period given, so tests that
    used a second period for a second case still get a second award."""
    about = periods.subject_label(engine.get_clause(clause.code))
    return f"测试{about}（{period}）" if about else ""


def pdf(name: str = "材料.pdf", content: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A case written directly (bypassing the services): for scope and table tests."""

    class Meta:
        model = Application

    enterprise = factory.SubFactory(EnterpriseFactory)
    clause = factory.LazyFunction(lambda: Clause.objects.get(code=DISTRICT_CLAUSE))
    period = "2023"
    subject = factory.LazyAttribute(lambda o: subject_for(o.clause, o.period))
    status = Status.DRAFT
    facts = factory.LazyAttribute(lambda o: dict(GOOD_FACTS.get(o.clause.code, {})))
    created_by = factory.LazyAttribute(
        lambda o: (
            o.enterprise.members.first().user if o.enterprise.members.exists() else UserFactory()
        )
    )
