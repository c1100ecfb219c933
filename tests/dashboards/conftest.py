import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def fresh_cache():
    """The overview is cached per scope and filters: no test may see another's figures."""
    cache.clear()
    yield
    cache.clear()
