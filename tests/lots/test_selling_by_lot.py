"""Selling by lot: sellable stock leaves out lots that must not be sold, and holds take lots earliest expiry first."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from shop.extensions import db
from shop.inventory.lots import withdraw_stale_lots
from shop.inventory.models import Lot, StockMovement
from shop.inventory.services import OutOfStock
from shop.orders.services import release_order
from tests import factories as make
from tests.helpers import assert_ledger_balances, email_subjects, stock_of
from tests.lots.support import TODAY, allocated, pending_order, receive


@pytest.fixture
def admin(app):
    return make.user(role="admin", email="stock@shop.example")


@pytest.fixture
def oil(app):
    return make.product("Sweet Almond Oil", sizes=((250, 1299, 0),)).variants[0]


def test_a_hold_takes_the_earliest_expiring_lot_first_and_lots_without_a_date_last(app, admin, oil):
    receive(admin, oil, ("A-JUN", 2, "2027-06-30"), ("NO-DATE", 2, ""), ("A-MAR", 2, "2027-03-31"))
    order = pending_order((oil, 5))
    assert allocated(order) == [("A-MAR", 2), ("A-JUN", 2), ("NO-DATE", 1)]
    holds = db.session.scalars(select(StockMovement).where(StockMovement.reason == "hold").order_by(StockMovement.id)).all()
    assert [(m.lot.code, m.delta, m.lot_delta) for m in holds] == [("A-MAR", -2, -2), ("A-JUN", -2, -2), ("NO-DATE", -1, -1)]
    assert stock_of(oil.id) == 1
    assert_ledger_balances()

    release_order(order, "expired", "hold ran out")
    db.session.commit()
    assert {lot.code: lot.on_hand for lot in db.session.scalars(select(Lot))} == {"A-MAR": 2, "A-JUN": 2, "NO-DATE": 2}
    assert allocated(order) == [] and stock_of(oil.id) == 6
    assert_ledger_balances()


def test_an_expired_lot_is_never_allocated_and_a_size_whose_only_lot_expired_is_out_of_stock(app, client, admin, oil):
    receive(admin, oil, ("OLD", 3, "2027-02-20"), on=TODAY - timedelta(days=200))
    assert stock_of(oil.id) == 3
    later = TODAY + timedelta(days=60)  # the lot expired on 20 Feb; the daily job has not run yet
    with pytest.raises(OutOfStock):
        pending_order((oil, 1), on=later)
    db.session.rollback()

    withdrawn = withdraw_stale_lots(later)
    db.session.commit()
    assert [(w.lot.code, w.status, w.units) for w in withdrawn] == [("OLD", "expired", 3)]
    assert stock_of(oil.id) == 0
    assert db.session.scalar(select(Lot.on_hand).where(Lot.code == "OLD")) == 3  # still on the shelf, off sale
    page = client.get(f"/products/{oil.product.slug}").get_data(as_text=True)
    assert "Out of stock" in page
    assert withdraw_stale_lots(later) == []  # once
    assert_ledger_balances()


def test_a_lot_inside_the_minimum_shelf_life_is_withdrawn_with_a_movement_and_an_admin_alert(app, admin, oil):
    receive(admin, oil, ("SHORT", 4, "2027-03-01"), ("LONG", 2, "2028-01-31"))
    assert stock_of(oil.id) == 6
    on = TODAY + timedelta(days=25)  # 4 Feb: 25 days left on SHORT, fewer than the 30-day minimum
    [withdrawal] = withdraw_stale_lots(on)
    db.session.commit()
    assert (withdrawal.lot.code, withdrawal.status) == ("SHORT", "short_dated")
    move = db.session.scalars(select(StockMovement).where(StockMovement.reason == "short_dated")).one()
    assert (move.delta, move.lot_delta, move.stock_after) == (-4, 0, 2)
    assert ("stock@shop.example", "Withdrawn from sale: 1 lot(s) expired or short-dated") in email_subjects(app)
    assert allocated(pending_order((oil, 2), on=on)) == [("LONG", 2)]
    assert_ledger_balances()


def test_a_delivery_of_a_lot_already_short_dated_is_received_off_sale(app, admin, oil):
    receive(admin, oil, ("NEARLY", 5, "2027-01-31"))
    assert stock_of(oil.id) == 0
    lot = db.session.scalars(select(Lot)).one()
    assert (lot.status, lot.on_hand) == ("short_dated", 5)
    assert_ledger_balances()
