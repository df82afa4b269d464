import pytest
from werkzeug.datastructures import MultiDict

from shop.catalog.listing import BadListingQuery, ListingQuery


def parse(**args):
    return ListingQuery.from_args(MultiDict(args))


@pytest.mark.parametrize("raw", ["abc", "-1", "0", "1.5", "", "99999999999999999999"])
def test_a_bad_page_number_becomes_page_one(raw):
    assert parse(page=raw).page == 1


def test_an_unknown_sort_falls_back_to_the_default():
    assert parse(sort="drop table").sort == "name"


def test_a_huge_search_is_refused_with_a_reason():
    with pytest.raises(BadListingQuery, match="200 characters"):
        parse(q="a" * 201)


def test_the_search_is_tidied_of_extra_spaces():
    assert parse(q="  Arnica   arnica CREAM ").q == "Arnica arnica CREAM"


def test_an_unknown_use_is_refused():
    with pytest.raises(BadListingQuery):
        parse(use="everything")


def test_links_keep_every_filter_and_change_only_the_page():
    q = ListingQuery.from_args(MultiDict([("q", "oil"), ("category", "oils"), ("suitable", "vegan"), ("suitable", "nut-free"), ("sort", "price")]))
    assert q.url_args(page=3) == {
        "q": "oil", "category": "oils", "suitable": ["vegan", "nut-free"], "sort": "price", "page": 3,
    }
