import pytest

from applications import services
from tests.factories.applications import (
    CITY_CLAUSE,
    DISTRICT_CLAUSE,
    GOOD_FACTS,
    open_window,
    pdf,
    subject_for,
)
from tests.factories.enterprises import enterprise_with_user


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private")},
        },
    }


@pytest.fixture
def clause(library):
    return open_window(DISTRICT_CLAUSE)


@pytest.fixture
def city_clause(library):
    return open_window(CITY_CLAUSE)


@pytest.fixture
def enterprise(enterprise_user):
    return enterprise_with_user(enterprise_user, district_code="jinshui")


@pytest.fixture
def other_enterprise_user(db):
    other = enterprise_with_user(district_code="erqi")
    return other.members.first().user


def ready_draft(user, clause, period="2023"):
    """A draft with good facts and every material uploaded: ready to submit."""
    application = services.application_create_draft(
        user=user,
        clause=clause,
        period=period,
        subject=subject_for(clause, period),
        facts=GOOD_FACTS[clause.code],
    )
    for item in clause.materials:
        services.material_upload(application=application, user=user, item=item, file=pdf())
    return application


@pytest.fixture
def draft(enterprise, enterprise_user, clause):
    return ready_draft(enterprise_user, clause)


@pytest.fixture
def submitted(draft, enterprise_user):
    return services.application_submit(
        application=draft, user=enterprise_user, commitment_accepted=True
    )
