"""Trade volume prices: the break is chosen from the quantity in the line, for approved practitioners only."""
from datetime import datetime

import pytest

from shop.cart.services import price_cart
from shop.catalog.volume import price_table
from shop.extensions import db
from tests.admin.support import signed_in
from tests.helpers import add_to_cart
from tests.offers import support as offers
from tests.volume.support import litre_of_oil


@pytest.mark.parametrize("quantity, unit_pence, volume_from, next_from", [
    (1, 3000, None, 6), (5, 3000, None, 6), (6, 2850, 6, 12), (11, 2850, 6, 12), (12, 2700, 12, None), (40, 2700, 12, None)])
def test_a_practitioner_pays_the_break_for_the_quantity_in_the_line(app, quantity, unit_pence, volume_from, next_from):
    oil = litre_of_oil()
    line = price_cart({oil.id: quantity}, currency="gbp", trade=True).lines[0]
    assert (line.unit_price_pence, line.price.volume_from, line.price.next_from) == (unit_pence, volume_from, next_from)
    assert line.line_total_pence == unit_pence * quantity


def test_a_retail_buyer_pays_retail_at_any_quantity(app):
    oil = litre_of_oil()
    for quantity in (1, 6, 12, 40):
        line = price_cart({oil.id: quantity}, currency="gbp", trade=False).lines[0]
        assert (line.unit_price_pence, line.price.is_volume, line.to_next_break) == (4000, False, 0)


def test_a_break_left_above_a_lowered_trade_price_is_never_charged(app):
    oil = litre_of_oil()
    oil.trade_price_pence = 2800  # below the break from 6 (£28.50), e.g. set straight in the database
    db.session.commit()
    prices = [price_cart({oil.id: q}, currency="gbp", trade=True).lines[0].unit_price_pence for q in (6, 12)]
    assert prices == [2800, 2700]


def test_a_discount_code_comes_off_the_volume_priced_items(app):
    oil = litre_of_oil()
    offers.code("CLINIC10", percent_off=10, applies_to_trade=True)
    cart = price_cart({oil.id: 12}, currency="gbp", trade=True, code="CLINIC10", now=datetime(2026, 6, 1))
    assert cart.subtotal_pence == 12 * 2700
    assert cart.code_discount_pence == 3240  # 10 % of £324.00, the volume-priced items, not of the trade price


def test_the_cart_names_the_volume_price_and_the_next_break(app, client):
    oil = litre_of_oil()
    signed_in(client, "practitioner")
    assert add_to_cart(client, oil.id, 10).status_code == 303
    page = client.get("/cart").get_data(as_text=True)
    assert "10 × £28.50, <strong>volume price</strong>" in page and "£285.00" in page
    assert "Add 2 more for £27.00 each." in page


def test_only_trade_visitors_see_the_table_of_volume_prices(app, client):
    oil = litre_of_oil()
    url = f"/products/{oil.product.slug}"
    retail = client.get(url).get_data(as_text=True)
    assert "Volume prices" not in retail and "£28.50" not in retail and "£27.00" not in retail
    signed_in(client, "practitioner")
    trade = client.get(url).get_data(as_text=True)
    assert "<caption>Volume prices, 1 L</caption>" in trade
    for quantity, price in (("1–5", "£30.00"), ("6–11", "£28.50"), ("12+", "£27.00")):
        assert f"<tr><td>{quantity}</td><td class=\"num\">{price}</td></tr>" in trade


def test_the_table_of_a_size_sold_in_cases_starts_at_one_case(app):
    cream = litre_of_oil(case=6, breaks=((12, 2700), (24, 2600)))
    assert price_table(cream) == [("6–11", 3000), ("12–23", 2700), ("24+", 2600)]


def test_the_supplies_list_and_quick_order_show_the_price_the_cart_will_charge(app, client):
    from shop.reorder.services import Wanted, save_to_supplies

    oil = litre_of_oil()
    practitioner = signed_in(client, "practitioner")
    save_to_supplies(practitioner, [Wanted(oil.id, 12)], max_per_line=99)
    supplies = client.get("/account/supplies").get_data(as_text=True)
    assert "£27.00 <span class=\"muted\">each at 12, volume price</span>" in supplies
    assert add_to_cart(client, oil.id, 12).status_code == 303
    assert "12 × £27.00, <strong>volume price</strong>" in client.get("/cart").get_data(as_text=True)
    quick = client.get("/quick-order", query_string={"q": oil.sku}).get_data(as_text=True)
    assert "6–11: £28.50 each" in quick and "12+: £27.00 each" in quick
