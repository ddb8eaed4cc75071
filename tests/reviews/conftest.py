import pytest

from tests.factories.applications import CITY_CLAUSE, DISTRICT_CLAUSE, open_window
from tests.factories.enterprises import enterprise_with_user
from tests.factories.reviews import submitted_case


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
def case(enterprise, enterprise_user, clause):
    """A 155号第5条 case submitted by a 金水区 enterprise: in district review."""
    return submitted_case(enterprise_user, clause)
