"""How the search box reads what people type: suitabilities, sizes and plain words."""
from types import SimpleNamespace as Flag

import pytest

from shop.catalog.search import parse_search

# Only slug, name and kind are read: plain stand-ins, no database.
FLAGS = [Flag(slug="nut-free", name="Nut-free", kind="suitable"),
         Flag(slug="fragrance-free", name="Fragrance-free", kind="suitable"),
         Flag(slug="vegan", name="Vegan", kind="suitable"),
         Flag(slug="fragrance-allergens", name="Fragrance allergens", kind="allergen")]


def flags_of(q):
    return [f.slug for f in parse_search(q, FLAGS).flags]


@pytest.mark.parametrize("typed", ["fragrance free", "Fragrance-free", "FRAGRANCEFREE", "unscented", "fragrance  free"])
def test_suitabilities_are_read_however_they_are_written(typed):
    search = parse_search(typed, FLAGS)
    assert [f.slug for f in search.flags] == ["fragrance-free"] and search.words == []


def test_several_suitabilities_and_words_together():
    search = parse_search("nut free vegan fragrance free arnica", FLAGS)
    assert sorted(f.slug for f in search.flags) == ["fragrance-free", "nut-free", "vegan"]
    assert search.words == ["arnica"]


def test_an_allergen_name_is_not_taken_for_a_suitability():
    assert flags_of("fragrance allergens") == [] and parse_search("fragrance", FLAGS).words == ["fragrance"]


@pytest.mark.parametrize("typed, size", [("5L", (5000, "ml")), ("5 L", (5000, "ml")), ("5 l", (5000, "ml")),
                                         ("500ml", (500, "ml")), ("500 ml", (500, "ml")), ("1 litre", (1000, "ml")),
                                         ("2.5L", (2500, "ml")), ("250 g", (250, "g")), ("1kg", (1000, "g"))])
def test_sizes_with_or_without_the_space(typed, size):
    search = parse_search(f"oil {typed}", FLAGS)
    assert search.sizes == [size] and search.words == ["oil"]


def test_a_sku_and_other_words_stay_words():
    assert parse_search("CRM-ARN-0100 Pregnancy", FLAGS).words == ["crm-arn-0100", "pregnancy"]
