"""Which page numbers the listing links to: a few around the current page, the first and the last."""
import pytest

from shop.catalog.listing import ListingQuery
from shop.catalog.services import ListingPage


def window(page, pages):
    query = ListingQuery().with_page(page)
    return ListingPage(query=query, products=[], total=pages * 12, per_page=12, categories=[], flags=[]).page_window


@pytest.mark.parametrize("page, pages, expected", [
    (1, 1, [1]),
    (1, 3, [1, 2, 3]),
    (1, 834, [1, 2, 3, None, 834]),
    (200, 834, [1, None, 198, 199, 200, 201, 202, None, 834]),
    (4, 834, [1, 2, 3, 4, 5, 6, None, 834]),
    (5, 834, [1, None, 3, 4, 5, 6, 7, None, 834]),
    (834, 834, [1, None, 832, 833, 834]),
])
def test_the_window_around_the_current_page(page, pages, expected):
    assert window(page, pages) == expected
