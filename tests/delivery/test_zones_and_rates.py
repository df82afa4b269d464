"""Delivery rules at the service: zones by postcode, weight bands, free-over thresholds, collection."""
import pytest

from shop.delivery.services import quote_delivery
from shop.delivery.weights import estimated_shipping_grams
from shop.postcodes import PostcodeError
from tests.helpers import ensure_delivery


@pytest.fixture
def rates(app):
    ensure_delivery()


def offered(quote) -> dict[str, int]:
    return {o.method_code: o.price_pence for o in quote.options}


ZONE_CASES = [
    ("iv2 3ab", "IV2 3AB", "highlands-islands"),
    (" IV23AB ", "IV2 3AB", "highlands-islands"),
    ("HS1 2AB", "HS1 2AB", "highlands-islands"),
    ("ze1 0aa", "ZE1 0AA", "highlands-islands"),
    ("PA20 0AA", "PA20 0AA", "highlands-islands"),  # both ends of each district range
    ("PA49 1AB", "PA49 1AB", "highlands-islands"),
    ("PA19 1AB", "PA19 1AB", "mainland"),
    ("PA50 1AB", "PA50 1AB", "mainland"),
    ("PA78 1AB", "PA78 1AB", "highlands-islands"),
    ("KA27 8AA", "KA27 8AA", "highlands-islands"),
    ("KA2 7AA", "KA2 7AA", "mainland"),  # KA2 is not KA27
    ("TR21 0AA", "TR21 0AA", "highlands-islands"),
    ("TR20 8AA", "TR20 8AA", "mainland"),
    ("bt1 1aa", "BT1 1AA", "northern-ireland"),
    ("IM1 1AA", "IM1 1AA", "isle-of-man-channel-islands"),
    ("GY1 1AA", "GY1 1AA", "isle-of-man-channel-islands"),
    ("je2 3ab", "JE2 3AB", "isle-of-man-channel-islands"),
    ("sw1a2aa", "SW1A 2AA", "mainland"),
    ("M1 1AA", "M1 1AA", "mainland"),
]


def test_postcodes_are_normalised_and_put_in_their_zone(rates):
    # One test for the whole table: each case is a query, not worth a fresh database.
    found = [(typed, *(lambda q: (q.postcode, q.zone_code, q.problem))(quote_delivery(typed, weight_grams=500, goods_pence=1000)))
             for typed, _, _ in ZONE_CASES]
    assert found == [(typed, postcode, zone, "") for typed, postcode, zone in ZONE_CASES]


def test_a_real_postcode_outside_every_zone_is_told_so_and_offered_collection(rates):
    quote = quote_delivery("GIR 0AA", weight_grams=500, goods_pence=1000)
    assert quote.problem == "Sorry, we don't deliver to GIR 0AA. You can still choose click & collect."
    assert offered(quote) == {"click-collect": 0}


def test_a_malformed_postcode_is_refused(rates):
    for typed in ["hello", "12345", "SW1A 2A", "Q1 1AA", "M1 1AAA"]:
        with pytest.raises(PostcodeError, match="Enter a UK postcode"):
            quote_delivery(typed, weight_grams=500, goods_pence=1000)


def test_without_a_postcode_only_collection_is_offered(rates):
    quote = quote_delivery("", weight_grams=500, goods_pence=1000)
    (collect,) = quote.options
    assert (collect.name, collect.price_pence, collect.estimate) == ("Click & collect", 0, "Free: ready to collect in 2 working days")


def test_a_5_litre_tub_to_the_hebrides_goes_by_courier(rates):
    tub = estimated_shipping_grams(5000, "jar")
    assert 5000 < tub < 6000  # contents, tub and box
    assert offered(quote_delivery("HS1 2AB", weight_grams=tub, goods_pence=12999)) == {"courier": 2495, "click-collect": 0}
    three = quote_delivery("HS1 2AB", weight_grams=3 * tub, goods_pence=3 * 12999)
    assert offered(three) == {"courier": 3495, "click-collect": 0}  # about 17 kg: the heavier band


def test_light_parcels_take_the_lightest_band_that_fits_and_no_courier(rates):
    tin = estimated_shipping_grams(30, "tin")
    assert offered(quote_delivery("M1 1AA", weight_grams=tin, goods_pence=899)) == {
        "tracked-48": 495, "tracked-24": 695, "click-collect": 0}
    assert offered(quote_delivery("M1 1AA", weight_grams=1001, goods_pence=899))["tracked-48"] == 595
    assert offered(quote_delivery("ZE1 0AA", weight_grams=1000, goods_pence=899))["tracked-24"] == 1095


def test_the_free_over_threshold_applies_to_its_own_method_only(rates):
    under = quote_delivery("M1 1AA", weight_grams=800, goods_pence=4999)
    over = quote_delivery("M1 1AA", weight_grams=800, goods_pence=5000)
    assert offered(under) == {"tracked-48": 495, "tracked-24": 695, "click-collect": 0}
    assert offered(over) == {"tracked-48": 0, "tracked-24": 695, "click-collect": 0}
    assert over.option("tracked-48").made_free
    heavy = quote_delivery("M1 1AA", weight_grams=6000, goods_pence=20000)
    assert offered(heavy) == {"courier": 1295, "click-collect": 0}  # the courier has no threshold


def test_a_parcel_no_method_carries_there_is_told_so(rates):
    quote = quote_delivery("JE2 3AB", weight_grams=6000, goods_pence=12999)  # no courier to the islands
    assert offered(quote) == {"click-collect": 0}
    assert "none of our couriers takes a parcel this heavy to JE2 3AB" in quote.problem
