"""Receiving deliveries, adjusting stock with a reason, the movement history, the stock CSV, low-stock emails."""
from sqlalchemy import select

from shop.audit.models import AuditEntry
from shop.extensions import db
from shop.inventory.models import StockMovement
from tests import factories as make
from tests.admin.support import post, signed_in
from tests.helpers import assert_ledger_balances, email_subjects, email_text, outbox, stock_of


def test_a_delivery_adds_several_skus_at_once_with_the_supplier_reference(app, client):
    admin = signed_in(client)
    oil = make.product("Grapeseed Oil", sizes=((250, 1299, 4), (1000, 3499, 0)))
    small, litre = oil.variants
    response = post(client, "/admin/stock/receive", {
        "reference": "PO-4471", "supplier": "Aromatic Supplies Ltd", "sku": [small.sku, litre.sku.lower(), ""],
        "quantity": ["12", "6", ""], "lot": ["gs2419", "GS2420", ""], "expires": ["2031-03-31", "", ""],
        "made": ["", "2026-06-01", ""], "pao": ["", "12", ""],
    }, token_from="/admin/stock/receive")
    assert response.status_code == 303
    page = client.get("/admin/stock").get_data(as_text=True)
    assert f"Delivery PO-4471 received: 12 × {small.sku} (now 16), 6 × {litre.sku} (now 6)." in page
    assert stock_of(small.id) == 16 and stock_of(litre.id) == 6
    moves = db.session.scalars(select(StockMovement).where(StockMovement.reason == "received")).all()
    assert {(m.variant_id, m.delta, m.user_id, m.note, m.lot.code) for m in moves} == {
        (small.id, 12, admin.id, "delivery PO-4471, lot GS2419", "GS2419"), (litre.id, 6, admin.id, "delivery PO-4471, lot GS2420", "GS2420")}
    lots = {m.lot.code: m.lot for m in moves}
    assert (lots["GS2419"].expires_on.isoformat(), lots["GS2419"].supplier, lots["GS2419"].delivery_ref) == (
        "2031-03-31", "Aromatic Supplies Ltd", "PO-4471")
    assert (lots["GS2420"].expiry_label, lots["GS2420"].quantity_received, lots["GS2420"].on_hand) == (
        "12 months after opening, made Jun 2026", 6, 6)
    assert db.session.query(AuditEntry).filter_by(action="stock.receive").count() == 2
    assert_ledger_balances()


def test_a_delivery_with_any_bad_line_adds_nothing_and_says_what_is_wrong(app, client):
    signed_in(client)
    oil = make.product("Grapeseed Oil", sizes=((250, 1299, 4),))
    response = post(client, "/admin/stock/receive", {
        "reference": "PO-9", "sku": [oil.variants[0].sku, "NOPE-1", oil.variants[0].sku, oil.variants[0].sku, oil.variants[0].sku],
        "quantity": ["5", "2", "-3", "4", "1"], "lot": ["L1", "L2", "L3", "", "L5"], "expires": ["2031-01-31", "2031-01-31", "", "2031-01-31", "31/02/2031"],
        "pao": ["", "", "12", "", ""],
    }, token_from="/admin/stock/receive")
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "There is no size with SKU “NOPE-1”." in text
    assert "Line 3" in text and "whole number" in text
    assert f"Line 4 ({oil.variants[0].sku}): enter the lot code printed on the container." in text
    assert "“31/02/2031” is not a date" in text
    assert 'id="lot-4"' in text and 'name="lot" value="L5"' in text  # the rows come back as typed
    assert stock_of(oil.variants[0].id) == 4
    assert db.session.query(StockMovement).filter_by(reason="received").count() == 0

    missing_ref = post(client, "/admin/stock/receive", {"reference": "", "sku": [oil.variants[0].sku], "quantity": ["5"],
                                                        "lot": ["L1"], "pao": ["12"]},
                       token_from="/admin/stock/receive")
    assert missing_ref.status_code == 422 and "delivery reference" in missing_ref.get_data(as_text=True)
    assert stock_of(oil.variants[0].id) == 4


def test_adjustments_take_a_reason_a_lot_and_a_change_never_a_new_level(app, client):
    admin = signed_in(client)
    variant = make.product("Balm", sizes=((50, 899, 10),)).variants[0]
    from shop.inventory.models import Lot

    lot = db.session.scalars(select(Lot).where(Lot.variant_id == variant.id)).one()  # the opening stock's lot
    url = f"/admin/stock/{variant.id}"
    assert post(client, url + "/adjust", {"lot": lot.id, "reason": "damaged", "change": "-3", "note": "crushed in transit"},
                url).status_code == 303
    assert stock_of(variant.id) == 7
    assert post(client, url + "/adjust", {"lot": lot.id, "reason": "count_correction", "change": "+2", "note": "shelf count"},
                url).status_code == 303
    assert stock_of(variant.id) == 9
    db.session.refresh(lot)
    assert lot.on_hand == 9

    refusals = [
        ({"reason": "damaged", "change": "3", "note": "x"}, "use a minus sign"),
        ({"reason": "returned", "change": "-1", "note": "x"}, "positive number"),
        ({"reason": "expired", "change": "-50", "note": "x"}, f"Lot {lot.code} holds 9"),
        ({"reason": "count_correction", "change": "0", "note": "x"}, "not zero"),
        ({"reason": "count_correction", "change": "2.5", "note": "x"}, "whole number"),
        ({"reason": "count_correction", "change": "2", "note": ""}, "Add a note"),
        ({"reason": "stolen", "change": "-1", "note": "x"}, "Choose a reason"),
        ({"lot": "", "reason": "damaged", "change": "-1", "note": "x"}, "Choose the lot this change is about."),
        ({"lot": "999999", "reason": "damaged", "change": "-1", "note": "x"}, f"Choose one of the lots of {variant.sku}."),
    ]
    refusals = [({"lot": lot.id, **data}, message) for data, message in refusals]
    for data, message in refusals:
        response = post(client, url + "/adjust", data, url)
        assert response.status_code == 422, data
        assert message in response.get_data(as_text=True), data
    assert stock_of(variant.id) == 9

    history = client.get(url).get_data(as_text=True)
    assert "crushed in transit" in history and "shelf count" in history and admin.email in history
    assert ">-3<" in history and ">+2<" in history
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "stock.adjust").order_by(AuditEntry.id)).first()
    assert (entry.actor_email, entry.before_json, entry.after_json) == (admin.email, '{"stock_on_hand": 10}', '{"stock_on_hand": 7}')
    assert_ledger_balances()


def test_the_stock_table_filters_marks_low_and_out_and_shows_units_held_in_checkouts(app, client):
    signed_in(client)
    cream = make.product("Arnica Cream", sizes=((50, 899, 2), (100, 1499, 0), (250, 2499, 40)))
    low, out, plenty = cream.variants
    order = make.paid_order(None, [(plenty, 3)], status="pending_payment")
    from shop.inventory.services import hold_stock

    hold_stock({plenty.id: 3}, order_id=order.id)
    db.session.commit()

    page = client.get("/admin/stock?sort=on-hand").get_data(as_text=True)
    assert page.index(out.sku) < page.index(low.sku) < page.index(plenty.sku)
    assert 'class="row-low"' in page and 'class="row-out"' in page
    row = page[page.index(plenty.sku):]
    assert '<td class="num">3</td>' in row[:800]  # held in an open checkout
    only_low = client.get("/admin/stock?state=low").get_data(as_text=True)
    assert low.sku in only_low and out.sku not in only_low and plenty.sku not in only_low
    search = client.get("/admin/stock?q=arnica").get_data(as_text=True)
    assert plenty.sku in search

    csv = client.get("/admin/stock.csv")
    assert csv.mimetype == "text/csv"
    lines = csv.get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert lines[0] == "sku,product,size,on_hand,held_in_checkouts,low_stock_threshold,state"
    assert f"{plenty.sku},Arnica Cream,250 ml,37,3,5,in" in lines


def test_admins_are_emailed_once_each_time_a_size_goes_down_through_its_threshold(app, client):
    admin = signed_in(client)
    other_admin = make.user(role="admin")
    variant = make.product("Gel", sizes=((100, 999, 8),)).variants[0]  # threshold 5
    url = f"/admin/stock/{variant.id}"
    from shop.inventory.models import Lot

    lot_id = db.session.scalar(select(Lot.id).where(Lot.variant_id == variant.id))

    def adjust(change):
        assert post(client, url + "/adjust", {"lot": lot_id, "reason": "count_correction", "change": change, "note": "count"},
                    url).status_code == 303

    adjust("-2")  # 6: still above
    assert outbox(app) == []
    adjust("-2")  # 4: crossed
    assert sorted(to for to, _ in email_subjects(app)) == sorted([admin.email, other_admin.email])
    assert f"{variant.sku}" in email_text(outbox(app)[0]) and "4 left, threshold 5" in email_text(outbox(app)[0])
    adjust("-1")  # 3: still low, no new email
    assert len(outbox(app)) == 2
    adjust("+10")  # 13: back above
    adjust("-9")  # 4: crossed again
    assert len(outbox(app)) == 4


def test_a_customers_checkout_that_takes_a_size_below_its_threshold_emails_the_admins(app, client):
    from tests.helpers import add_to_cart, checkout

    admin = make.user(role="admin")
    variant = make.product("Gel", sizes=((100, 999, 7),)).variants[0]  # threshold 5
    add_to_cart(client, variant.id, 3)
    assert checkout(client).status_code == 303
    assert stock_of(variant.id) == 4
    assert email_subjects(app) == [(admin.email, f"Low stock: {variant.sku}")]
