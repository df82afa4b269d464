"""Receipts a bookkeeper can use: what was refunded and what was paid in the end; the clinic on trade receipts."""
import re

import pytest

from shop.extensions import db
from tests import factories as make
from tests.factories import PASSWORD
from tests.helpers import sign_in


@pytest.fixture
def oil(app):
    return make.product("Grapeseed Oil", slug="grapeseed-oil", sizes=((100, 1000, 20), (5000, 12000, 5)))


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_a_partly_refunded_receipt_shows_the_refund_and_the_net_paid(app, oil):
    order = make.paid_order(None, [(oil.variants[1], 1)], email="guest@example.com")  # £120.00
    order.refunded_pence = 3000
    db.session.commit()
    receipt = text_of(app.test_client().get(f"/orders/{order.token}/receipt").get_data(as_text=True))
    assert "Total £120.00 Refunded -£30.00 Net paid £90.00" in receipt
    assert "VAT included in this receipt: £15.00 (after the refund)" in receipt  # a sixth of £90.00


def test_the_vat_on_a_receipt_rounds_half_a_penny_up(app, oil):
    order = make.paid_order(None, [(oil.variants[0], 1, 1503)], email="guest@example.com")  # £15.03 holds £2.505 of VAT
    receipt = text_of(app.test_client().get(f"/orders/{order.token}/receipt").get_data(as_text=True))
    assert "VAT included in this receipt: £2.51 ." in receipt  # text_of spaces out the closing tag


def test_an_unrefunded_receipt_has_no_refund_lines(app, oil):
    order = make.paid_order(None, [(oil.variants[1], 1)], email="guest@example.com")
    receipt = text_of(app.test_client().get(f"/orders/{order.token}/receipt").get_data(as_text=True))
    assert "Refunded" not in receipt and "Net paid" not in receipt


def test_a_trade_receipt_names_the_clinic(app, oil):
    physio = make.user("physio@example.com", trade_status="approved", name="Jo Physio", clinic_name="Harbour Physio")
    order = make.paid_order(physio, [(oil.variants[1], 1)], pricing="trade")
    retail = make.paid_order(physio, [(oil.variants[0], 1)])
    client = app.test_client()
    sign_in(client, "physio@example.com", PASSWORD)
    assert "Clinic Harbour Physio" in text_of(client.get(f"/account/orders/{order.id}/receipt").get_data(as_text=True))
    assert "Harbour Physio" in text_of(app.test_client().get(f"/orders/{order.token}/receipt").get_data(as_text=True))
    assert "Harbour Physio" not in text_of(client.get(f"/account/orders/{retail.id}/receipt").get_data(as_text=True))
