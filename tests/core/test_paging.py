"""CappedPaginator: counts at most cap + 1 rows, says when there are more."""

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from areas.models import Township
from core.paging import CappedPaginator, paginate
from tests.areas.factories import TownshipFactory


def test_below_the_cap_it_is_an_ordinary_paginator():
    paginator = CappedPaginator(list(range(95)), 10, cap=100)
    assert paginator.count == 95
    assert not paginator.capped
    assert paginator.num_pages == 10
    assert list(paginator.page(10)) == list(range(90, 95))


def test_at_the_cap_exactly_nothing_is_hidden():
    paginator = CappedPaginator(list(range(100)), 10, cap=100)
    assert paginator.count == 100
    assert not paginator.capped


def test_above_the_cap_it_counts_the_cap_and_says_so():
    paginator = CappedPaginator(list(range(1_000)), 10, cap=100)
    assert paginator.count == 100
    assert paginator.capped
    assert paginator.num_pages == 10
    assert paginator.get_page(999).number == 10
    assert list(paginate(list(range(1_000)), 10, "2", cap=100)) == list(range(10, 20))


@pytest.mark.django_db
def test_a_queryset_is_counted_with_a_limit():
    TownshipFactory.create_batch(7)
    paginator = CappedPaginator(Township.objects.order_by("pk"), 2, cap=5)
    with CaptureQueriesContext(connection) as queries:
        assert paginator.capped
        assert paginator.count == 5
    assert len(queries) == 1
    assert "LIMIT 6" in queries[0]["sql"]


def test_the_pages_say_there_are_more_and_offer_no_last_page():
    request = RequestFactory().get("/x/", {"page": "2"})
    page = paginate(list(range(1_000)), 10, "2", cap=100)
    html = render_to_string("includes/pagination.html", {"page": page}, request=request)
    assert "第 2 页，共 10 页以上" in html
    assert "最后一页" not in html
    assert "只列出前 100 条" in html

    page = paginate(list(range(95)), 10, "2", cap=100)
    html = render_to_string("includes/pagination.html", {"page": page}, request=request)
    assert "第 2 页，共 10 页" in html and "以上" not in html
    assert "最后一页" in html
    assert "capped-notice" not in html
