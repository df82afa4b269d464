"""Orders in the back office: finding them, the order page, shipping, cancelling unpaid ones, the CSV."""
from datetime import datetime

from sqlalchemy import select

from shop.audit.models import AuditEntry
from shop.extensions import db
from shop.orders.models import Order
from tests import factories as make
from tests.admin.support import post, signed_in
from tests.helpers import add_to_cart, assert_ledger_balances, checkout, email_subjects, email_text, outbox, stock_of


def test_list_filters_and_search(app, client):
    signed_in(client)
    oil = make.product("Oil", sizes=((100, 1000, 50),)).variants[0]
    old = make.paid_order(None, [(oil, 1)], email="ann@example.com", paid_at=datetime(2026, 3, 1, 10))
    new = make.paid_order(None, [(oil, 2)], email="bob@example.com", paid_at=datetime(2026, 3, 9, 10))
    unpaid = make.paid_order(None, [(oil, 1)], email="cat@example.com", status="pending_payment")
    flagged = make.paid_order(None, [(oil, 1)], email="dan@example.com", status="needs_review")

    def listed(query):
        response = client.get("/admin/orders" + query)
        assert response.status_code == 200, query
        text = response.get_data(as_text=True)
        return {o.number for o in (old, new, unpaid, flagged) if o.number in text}

    assert listed("") == {old.number, new.number, unpaid.number, flagged.number}
    assert listed("?paid=unpaid") == {unpaid.number, flagged.number}  # flagged before any payment arrived
    assert listed("?paid=paid") == {old.number, new.number}
    assert listed("?status=pending_payment") == {unpaid.number}
    assert listed("?flagged=1") == {flagged.number}
    assert listed("?q=bob%40example.com") == {new.number}
    assert listed(f"?q={new.number}") == {new.number}
    assert listed(f"?q={old.id}") == {old.number}
    assert listed("?date_from=2026-03-05&date_to=2026-03-10") == {new.number}
    assert listed("?date_to=2026-03-01") == {old.number}
    assert listed("?status=awaiting-shipping") >= {old.number, new.number}

    bad = client.get("/admin/orders?date_from=yesterday&status=lost")
    assert bad.status_code == 400
    assert "is not a date" in bad.get_data(as_text=True)


def test_order_page_shows_lines_payment_ids_address_and_history(app, client):
    signed_in(client)
    buyer = app.test_client()
    oil = make.product("Grapeseed Oil", sizes=((100, 1000, 50),)).variants[0]
    add_to_cart(buyer, oil.id, 2)
    checkout(buyer)
    order = db.session.scalars(select(Order)).one()
    text = client.get(f"/admin/orders/{order.id}").get_data(as_text=True)
    assert order.checkout_session_id in text
    assert oil.sku in text and "Grapeseed Oil" in text
    assert "Awaiting payment" in text and "Cancel order" in text

    from shop.payments.demo_gateway import pay_demo_session

    success = pay_demo_session(order.checkout_session_id)
    assert buyer.get(success.replace("http://localhost", "")).status_code == 200
    db.session.expire_all()
    order = db.session.get(Order, order.id)
    text = client.get(f"/admin/orders/{order.id}").get_data(as_text=True)
    assert order.payment_intent_id and order.payment_intent_id in text
    assert "1 Demo Street" in text and "LS1 1AA" in text
    assert "Awaiting payment → <strong>Paid</strong>: payment received" in text
    assert "Mark shipped" in text and "Refund…" in text


def test_mark_shipped_emails_the_customer_and_shows_tracking_to_them(app, client):
    admin = signed_in(client)
    oil = make.product("Oil", sizes=((100, 1000, 50),)).variants[0]
    order = make.paid_order(None, [(oil, 2)], email="ann@example.com")
    url = f"/admin/orders/{order.id}"
    missing = post(client, url + "/ship", {"carrier": "Royal Mail", "tracking_number": ""}, url)
    assert missing.status_code == 422 and "tracking number" in missing.get_data(as_text=True)

    assert post(client, url + "/ship", {"carrier": "Royal Mail", "tracking_number": "RM123456785GB"}, url).status_code == 303
    shipped = db.session.get(Order, order.id)
    db.session.refresh(shipped)
    assert shipped.shipped_at and (shipped.carrier, shipped.tracking_number) == ("Royal Mail", "RM123456785GB")
    [(to, subject)] = email_subjects(app)
    assert to == "ann@example.com" and subject == f"Your order {order.number} is on its way"
    assert "RM123456785GB" in email_text(outbox(app)[0]) and f"/orders/{order.token}" in email_text(outbox(app)[0])

    again = post(client, url + "/ship", {"carrier": "DPD", "tracking_number": "X"})
    assert again.status_code == 409 and "already marked shipped" in again.get_data(as_text=True)
    assert len(outbox(app)) == 1
    assert db.session.scalars(select(AuditEntry.actor_email).where(AuditEntry.action == "order.ship")).all() == [admin.email]


def test_cancelling_an_unpaid_order_asks_first_then_releases_its_hold(app, client):
    signed_in(client)
    buyer = app.test_client()
    oil = make.product("Oil", sizes=((100, 1000, 10),)).variants[0]
    add_to_cart(buyer, oil.id, 4)
    checkout(buyer)
    order = db.session.scalars(select(Order)).one()
    assert stock_of(oil.id) == 6
    url = f"/admin/orders/{order.id}"

    ask = post(client, url + "/cancel", {"reason": "customer phoned"}, url)
    assert ask.status_code == 200
    text = ask.get_data(as_text=True)
    assert f"Cancel order {order.number}?" in text and 'name="confirm" value="yes"' in text
    assert stock_of(oil.id) == 6  # asking changes nothing

    done = post(client, url + "/cancel", {"reason": "customer phoned", "confirm": "yes"}, url)
    assert done.status_code == 303
    db.session.expire_all()
    assert db.session.get(Order, order.id).status == "cancelled"
    assert stock_of(oil.id) == 10
    assert_ledger_balances()
    # The demo checkout it opened is closed too: it can no longer be paid.
    from shop.payments.models import DemoCheckoutSession

    assert db.session.get(DemoCheckoutSession, order.checkout_session_id).status == "expired"

    paid = make.paid_order(None, [(oil, 1)])
    refused = post(client, f"/admin/orders/{paid.id}/cancel", {"reason": "x", "confirm": "yes"})
    assert refused.status_code == 409 and "only unpaid orders can be cancelled" in refused.get_data(as_text=True)


def test_a_cancel_reason_too_long_is_a_form_problem_and_cancels_nothing(app, client):
    signed_in(client)
    oil = make.product("Oil", sizes=((100, 1000, 10),)).variants[0]
    unpaid = make.paid_order(None, [(oil, 1)], status="pending_payment")
    url = f"/admin/orders/{unpaid.id}"
    refused = post(client, url + "/cancel", {"reason": "r" * 301, "confirm": "yes"}, url)
    assert refused.status_code == 422  # what was typed is wrong, not the order's state
    assert 'href="#cancel-reason"' in refused.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Order, unpaid.id).status == "pending_payment"


def test_accounting_csv_has_one_row_per_order_with_net_amounts(app, client):
    signed_in(client)
    oil = make.product("Oil", sizes=((100, 1250, 50),)).variants[0]
    order = make.paid_order(None, [(oil, 2)], email="=cmd@example.com", paid_at=datetime(2026, 3, 1, 10))
    order.refunded_pence = 500
    db.session.commit()
    response = client.get("/admin/orders.csv?paid=paid")
    assert response.mimetype == "text/csv" and "attachment" in response.headers["Content-Disposition"]
    lines = response.get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert lines[0].startswith("order,created,paid,status,email,pricing,subtotal,delivery,total,refunded,net")
    assert lines[1].startswith(f"{order.number},2026-03-01T10:00:00,2026-03-01T10:00:00,paid,'=cmd@example.com,retail,25.00,0.00,25.00,5.00,20.00,GBP")
    assert len(lines) == 2


def test_the_dashboard_counts_orders_paid_today_and_this_week_net_of_refunds_those_to_ship_and_those_flagged(app):
    from shop.orders.backoffice import dashboard_figures

    oil = make.product("Oil", sizes=((100, 1000, 50),)).variants[0]
    wednesday = datetime(2026, 3, 11, 15)
    today = make.paid_order(None, [(oil, 2)], paid_at=datetime(2026, 3, 11, 9))  # 2000, 300 refunded
    today.refunded_pence = 300
    monday = make.paid_order(None, [(oil, 1)], paid_at=datetime(2026, 3, 9, 0, 5))
    monday.shipped_at = datetime(2026, 3, 10, 12)
    make.paid_order(None, [(oil, 4)], paid_at=datetime(2026, 3, 8, 23, 55))  # last Sunday: last week's, not shipped
    flagged = make.paid_order(None, [(oil, 3)], status="needs_review")  # money taken, held for review
    flagged.paid_at = datetime(2026, 3, 11, 10)
    make.paid_order(None, [(oil, 5)], status="on_account")  # shipped before its invoice is paid
    make.paid_order(None, [(oil, 6)], status="pending_payment")
    db.session.commit()

    figures = dashboard_figures(wednesday)

    assert (figures.paid_today, figures.revenue_today) == (2, 1700 + 3000)
    assert (figures.paid_week, figures.revenue_week) == (3, 1700 + 1000 + 3000)
    assert figures.to_ship == 3  # today's, last Sunday's and the one on account; Monday's has gone
    assert figures.flagged == 1
