import pytest

from policies.loading import policy_library_load


@pytest.fixture
def library(db):
    """The whole policy library, loaded from policies/data as `make run` does."""
    return policy_library_load()
