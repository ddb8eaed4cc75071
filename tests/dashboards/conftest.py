import pytest
from django.core.cache import cache

from policies.loading import policy_library_load


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def library(db):
    policy_library_load()
