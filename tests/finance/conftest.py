import pytest

from portal.accounts.models import Role
from tests.factories.accounts import UserFactory


@pytest.fixture
def erqi_finance(db):
    return UserFactory(username="erqi_fin", role=Role.FINANCE, district_code="erqi")


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient()
