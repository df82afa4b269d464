"""Recalling a lot: what is left leaves sale, everyone who received it is told once, the lot page keeps track."""
import csv
import io

import pytest
from sqlalchemy import select

from shop.audit.models import AuditEntry
from shop.clock import utcnow
from shop.extensions import db
from shop.inventory.lots import confirm_allocation
from shop.inventory.models import Lot, StockMovement
from shop.messages.models import Message
from shop.orders.services import transition
from shop.recalls.models import RecallNotice
from shop.recalls.services import recall_lot
from tests import factories as make
from tests.admin.support import signed_in
from tests.helpers import assert_ledger_balances, email_text, outbox, stock_of
from tests.lots.support import TODAY, allocated, pending_order, receive


@pytest.fixture
def balm(app):
    return make.product("Arnica Balm", sizes=((50, 899, 0),)).variants[0]


def paid(order):
    transition(order, "paid", ("pending_payment",), "payment received", paid_at=utcnow(), payment_intent_id=f"pi_{order.id}")
    db.session.commit()
    return order


def lot_named(code) -> Lot:
    return db.session.scalars(select(Lot).where(Lot.code == code)).one()


def test_a_recall_takes_the_rest_off_sale_and_tells_each_customer_once(app, balm):
    admin = make.user(role="admin")
    receive(admin, balm, ("AB-1", 6, "2027-05-31"), ("AB-2", 5, "2027-09-30"))
    for email, units in (("sam@example.com", 1), ("sam@example.com", 2), ("kim@example.com", 1)):
        paid(pending_order((balm, units), email=email))
    pending_order((balm, 1), email="unpaid@example.com")  # still in checkout: not a recipient
    assert stock_of(balm.id) == 6  # AB-1 has 1 left, AB-2 all 5

    with app.test_request_context():
        result = recall_lot(lot_named("AB-1").id, "Stop using it and send it back: we refund you.", actor=admin)
        again = recall_lot(lot_named("AB-1").id, "Stop using it and send it back: we refund you.", actor=admin)
    assert (result.withdrawn, sorted(result.told), result.nobody_bought) == (1, ["kim@example.com", "sam@example.com"], False)
    assert (again.withdrawn, again.told) == (0, [])  # pressed twice: nobody is told twice
    lot = lot_named("AB-1")
    assert (lot.status, lot.on_hand) == ("recalled", 1)
    assert stock_of(balm.id) == 5  # only AB-2 is on sale
    assert db.session.scalars(select(StockMovement.delta).where(StockMovement.reason == "recalled")).all() == [-1]
    assert sorted(db.session.scalars(select(RecallNotice.email))) == ["kim@example.com", "sam@example.com"]
    recalls = db.session.scalars(select(Message).where(Message.kind == "lot_recall")).all()
    assert len(recalls) == 2
    [to_sam] = [p for p in outbox(app) if "sam@example.com" in p.read_text()]
    text = email_text(to_sam)
    assert "lot AB-1" in text and "Stop using it and send it back" in text
    assert db.session.scalar(select(AuditEntry.summary).where(AuditEntry.action == "lot.recall")).startswith("recalled lot AB-1")
    assert_ledger_balances()


def test_a_recall_of_a_lot_nobody_bought_says_so(app, client, balm):
    admin = signed_in(client)
    receive(admin, balm, ("SPARE", 4, "2027-08-31"))
    lot = lot_named("SPARE")
    page = client.get(f"/admin/lots/{lot.id}").get_data(as_text=True)
    assert "Nobody has bought this lot." in page
    from tests.admin.support import post

    asked = post(client, f"/admin/lots/{lot.id}/recall", {"instructions": "Return to supplier"}, f"/admin/lots/{lot.id}")
    assert "Nobody has bought this lot, so nobody is emailed." in asked.get_data(as_text=True)  # the confirmation step
    done = post(client, f"/admin/lots/{lot.id}/recall", {"instructions": "Return to supplier", "confirm": "yes"},
                f"/admin/lots/{lot.id}")
    assert done.status_code == 303
    assert "nobody bought this lot, so nobody was emailed" in client.get(done.location).get_data(as_text=True)
    assert stock_of(balm.id) == 0 and lot_named("SPARE").status == "recalled"


def test_the_lot_page_lists_who_received_it_and_exports_them(app, client, balm):
    admin = signed_in(client)
    receive(admin, balm, ("AB-9", 5, "2027-06-30"))
    order = paid(pending_order((balm, 2), email="clinic@example.com"))
    lot = lot_named("AB-9")
    found = client.get("/admin/lots?q=ab-9").get_data(as_text=True)
    assert f"/admin/lots/{lot.id}" in found
    page = client.get(f"/admin/lots/{lot.id}").get_data(as_text=True)
    assert order.number in page and "clinic@example.com" in page and "Not told" in page
    rows = list(csv.reader(io.StringIO(client.get(f"/admin/lots/{lot.id}.csv").get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:4] == ["lot", "sku", "product", "order"]
    assert rows[1][0] == "AB-9" and rows[1][3] == order.number and rows[1][6] == "clinic@example.com" and rows[1][8] == "2"


def test_units_held_from_a_lot_recalled_before_payment_are_swapped_at_payment(app, balm):
    admin = make.user(role="admin")
    receive(admin, balm, ("FIRST", 2, "2027-04-30"), ("NEXT", 3, "2027-10-31"))
    order = pending_order((balm, 2))
    assert allocated(order) == [("FIRST", 2)]
    with app.test_request_context():
        recall_lot(lot_named("FIRST").id, "Faulty seal.", actor=admin)
    paid(order)
    assert confirm_allocation(order.id, TODAY) == []
    db.session.commit()
    assert allocated(order) == [("NEXT", 2)]
    assert (lot_named("FIRST").on_hand, lot_named("NEXT").on_hand, stock_of(balm.id)) == (2, 1, 1)
    assert_ledger_balances()


def test_a_quarantined_lot_is_off_sale_until_it_is_put_back_and_an_expired_one_cannot_go_back(app, client, balm):
    from tests.admin.support import post

    admin = signed_in(client)
    receive(admin, balm, ("Q-1", 4, "2031-05-31"))
    lot = lot_named("Q-1")
    url = f"/admin/lots/{lot.id}"
    assert post(client, url + "/quarantine", {"note": "cracked lids in the delivery"}, url).status_code == 303
    assert stock_of(balm.id) == 0 and lot_named("Q-1").status == "quarantined"
    assert post(client, url + "/release", {"note": "lids fine"}, url).status_code == 303
    assert stock_of(balm.id) == 4 and lot_named("Q-1").status == "sellable"
    assert [m.reason for m in db.session.scalars(select(StockMovement).where(StockMovement.delta != 0, StockMovement.lot_delta == 0).order_by(StockMovement.id))] \
        == ["quarantined", "released_to_sale"]

    from datetime import date

    from shop.inventory.lots import withdraw_stale_lots

    withdraw_stale_lots(date(2031, 6, 1))  # the job, once the date has passed
    db.session.commit()
    refused = post(client, url + "/release", {}, url)
    assert refused.status_code == 409 and "cannot be put back on sale" in refused.get_data(as_text=True)
    assert db.session.scalar(select(AuditEntry.summary).where(AuditEntry.action == "lot.quarantined")).endswith(
        "cracked lids in the delivery")
    assert_ledger_balances()
