"""Pay by invoice at checkout: confirmed at once, stock taken, invoice being prepared; refused, with the
reason and nothing written, when an invoice is overdue or the credit limit would be passed."""
from datetime import timedelta

import pytest

from shop.clock import utcnow
from shop.extensions import db
from shop.invoicing.models import Invoice
from shop.invoicing.preparing import mark_overdue
from shop.invoicing.services import OnAccountRefused, check_on_account
from tests import factories as make
from tests.helpers import add_to_cart, assert_ledger_balances, choose_delivery, csrf_token, deliver_due, email_text, outbox, stock_of
from tests.invoicing.support import add_buyer, clinic_on_terms, only_invoice, order_on_account, orders, signed_in


@pytest.fixture
def oil(app):
    return make.product("Grapeseed Oil", sizes=((1000, 4000, 10),))


def test_a_buyer_of_a_clinic_on_terms_orders_on_account(app, oil):
    owner = clinic_on_terms(days=30, credit_pence=50_000)
    buyer = signed_in(app, add_buyer(owner))
    add_to_cart(buyer, oil.variants[0].id, 2)
    choose_delivery(buyer)
    cart = buyer.get("/cart").get_data(as_text=True)
    assert "Pay by invoice (30 days)" in cart and "£500.00 of credit left" in cart

    response = buyer.post("/checkout/on-account", data={"csrf_token": csrf_token(buyer)})
    assert response.status_code == 303
    (order,) = orders()
    assert order.status == "on_account" and order.paid_at is None and order.hold_expires_at is None
    assert order.ship_postcode == "LS1 1AA" and order.ship_name == owner.clinic.name
    assert stock_of(oil.variants[0].id) == 8
    assert_ledger_balances()
    invoice = only_invoice()
    assert (invoice.status, invoice.amount_pence, invoice.terms_days) == ("preparing", order.total_pence, 30)
    assert invoice.clinic_id == owner.clinic.id

    page = buyer.get(response.headers["Location"]).get_data(as_text=True)
    assert "Confirmed: invoice to pay" in page and "Your invoice is being prepared" in page
    assert "Pay by invoice" not in buyer.get("/cart").get_data(as_text=True)  # the cart was emptied
    (mail,) = outbox(app)
    text = email_text(mail)
    assert "Pay by invoice" in text and "due within 30 days" in text and "receipt" not in text.lower()
    # The owner sees the clinic's invoice in the account.
    listing = signed_in(app, owner).get("/account/invoices").get_data(as_text=True)
    assert order.number in listing and "Being prepared" in listing and "£500.00" in listing


def test_over_the_credit_limit_is_refused_with_nothing_written(app, oil):
    owner = clinic_on_terms(credit_pence=10_000)  # £100: two litres at trade price plus delivery pass it
    client = signed_in(app, owner)
    add_to_cart(client, oil.variants[0].id, 4)
    choose_delivery(client)
    assert "over its credit limit of £100.00" in client.get("/cart").get_data(as_text=True)
    response = client.post("/checkout/on-account", data={"csrf_token": csrf_token(client)})
    assert response.status_code == 409
    assert "over its credit limit of £100.00" in response.get_data(as_text=True)
    assert orders() == [] and stock_of(oil.variants[0].id) == 10
    assert db.session.query(Invoice).count() == 0


def test_an_overdue_invoice_blocks_paying_by_invoice_until_it_is_settled(app, oil):
    owner = clinic_on_terms(days=7)
    client = signed_in(app, owner)
    assert order_on_account(client, oil.variants[0]).status_code == 303
    first = only_invoice()
    first.status, first.number = "open", "INV-0001"
    db.session.commit()

    later = utcnow() + timedelta(days=8)
    assert mark_overdue(later) == "invoices found overdue 1"
    assert mark_overdue(later) == "invoices found overdue 0"  # once
    db.session.expire_all()
    assert only_invoice().overdue_at == later
    assert "invoice INV-0001 overdue" in orders()[0].events[-1].note
    deliver_due(app, later)  # recorded at the job's "now"
    assert any("INV-0001 from" in email_text(m) and "is overdue" in email_text(m) for m in outbox(app))

    # A day after it fell due, the clinic cannot order on account, and is told why (the card is still open).
    with pytest.raises(OnAccountRefused, match="INV-0001 .* is not paid yet"):
        check_on_account(owner.clinic, 100, later)
    first = only_invoice()
    first.status = "paid"
    db.session.commit()
    assert check_on_account(owner.clinic, 100, later).remaining_pence == 100_000


def test_a_clinic_without_terms_is_not_offered_pay_by_invoice_and_cannot_post_it(app, oil):
    owner = make.user(trade_status="approved")
    client = signed_in(app, owner)
    add_to_cart(client, oil.variants[0].id, 1)
    choose_delivery(client)
    cart = client.get("/cart").get_data(as_text=True)
    assert "Pay by invoice" not in cart and ">Checkout<" in cart
    response = client.post("/checkout/on-account", data={"csrf_token": csrf_token(client)})
    assert response.status_code == 409 and "agreed payment terms" in response.get_data(as_text=True)
    assert orders() == []
