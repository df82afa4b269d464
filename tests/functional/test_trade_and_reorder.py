"""Trade accounts, whose orders are whose, buy again, the supplies list, quick order and receipts."""
import html
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from shop.accounts.models import SupplyItem, TradeAccount, User
from shop.catalog.models import Product
from shop.clock import utcnow
from shop.cart.services import clean_cart
from shop.extensions import db
from shop.orders.models import Order
from shop.inventory.services import record_stock
from tests import factories as make
from tests.factories import PASSWORD
from tests.helpers import add_to_cart, checkout, email_subjects, email_text, outbox, page_token, sign_in


@pytest.fixture
def oil(app):
    # Retail 100 ml £10.00 (trade £7.50), 5 L £120.00 (trade £90.00)
    return make.product("Grapeseed Oil", slug="grapeseed-oil", sizes=((100, 1000, 20), (5000, 12000, 5)))


def cart_of(client) -> dict[int, int]:
    with client.session_transaction() as session:
        return clean_cart(session.get("cart"))


def signed_in(app, email, **user_fields):
    client = app.test_client()
    make.user(email, **user_fields)
    assert sign_in(client, email, PASSWORD).status_code == 303
    return client


def apply(client, **overrides):
    data = {
        "clinic_name": "Leeds Sports Physio", "profession": "physiotherapist", "professional_body": "HCPC",
        "registration_number": "PH123456", "address_line1": "1 High Street", "city": "Leeds",
        "postcode": "LS1 1AA", "phone": "0113 496 0000", **overrides,
    }
    data["csrf_token"] = page_token(client, "/account")
    return client.post("/account/trade", data=data)


# --- trade accounts -------------------------------------------------------------------------

def test_applying_needs_every_detail(app):
    client = signed_in(app, "physio@example.com")
    answer = apply(client, registration_number="", profession="astrologer")
    assert answer.status_code == 400
    text = answer.get_data(as_text=True)
    assert "Enter your membership or registration number." in text
    assert "Choose a profession from the list." in text
    assert db.session.scalar(select(TradeAccount)) is None


def test_apply_then_approve_from_the_command_line(app, runner, oil):
    client = signed_in(app, "physio@example.com")
    answer = apply(client)
    assert answer.status_code == 303
    account = db.session.scalar(select(TradeAccount))
    assert (account.status, account.clinic_name, account.registration_number) == ("pending", "Leeds Sports Physio", "PH123456")
    assert "being reviewed" in client.get("/account").get_data(as_text=True)
    assert apply(client).status_code == 409  # one application at a time
    # Pending: still retail prices.
    assert "£7.50" not in client.get("/products/grapeseed-oil").get_data(as_text=True)

    result = runner.invoke(args=["shop", "approve-practitioner", "physio@example.com"])
    assert result.exit_code == 0, result.output
    assert "approved" in result.output
    assert ("physio@example.com", "Your trade account is open") in email_subjects(app)

    page = client.get("/products/grapeseed-oil").get_data(as_text=True)
    assert "£7.50" in page and "£90.00" in page and "£120.00" in page  # trade beside retail
    assert "is-professional" in page  # professional sizes highlighted


def test_reject_needs_a_reason_and_the_applicant_is_told_it(app, runner):
    client = signed_in(app, "physio@example.com")
    apply(client)
    assert runner.invoke(args=["shop", "reject-practitioner", "physio@example.com", "--reason", " "]).exit_code != 0
    result = runner.invoke(args=["shop", "reject-practitioner", "physio@example.com", "--reason", "We couldn't find PH123456 on the HCPC register."])
    assert result.exit_code == 0, result.output
    [rejection] = [p for p in outbox(app) if "About your trade account" in p.read_text(errors="replace")]
    assert "couldn't find PH123456 on the HCPC register" in email_text(rejection)
    page = client.get("/account").get_data(as_text=True)
    assert "was not approved" in page and "HCPC register" in page
    # Rejected applicants may correct their details and apply again.
    assert apply(client, registration_number="PH654321").status_code == 303
    db.session.expire_all()
    assert db.session.scalar(select(TradeAccount.status)) == "pending"


def test_unknown_applicant_on_the_command_line_is_a_clear_error(app, runner):
    result = runner.invoke(args=["shop", "approve-practitioner", "nobody@example.com"])
    assert result.exit_code != 0 and "No trade account application from nobody@example.com" in result.output


@pytest.mark.parametrize("status, pays", [("approved", 750), ("pending", 1000), ("rejected", 1000), ("suspended", 1000)])
def test_only_approved_practitioners_pay_trade_prices(app, oil, status, pays):
    client = signed_in(app, "physio@example.com", trade_status=status)
    add_to_cart(client, oil.variants[0].id, 2)
    cart_page = client.get("/cart").get_data(as_text=True)
    assert f"£{pays * 2 / 100:.2f}" in cart_page
    assert checkout(client).status_code == 303
    order = db.session.scalars(select(Order)).one()
    assert order.lines[0].unit_price_pence == pays
    assert order.subtotal_pence == pays * 2
    assert order.pricing == ("trade" if status == "approved" else "retail")
    assert order.user_id is not None and order.email == "physio@example.com"


def test_a_variant_without_a_trade_price_is_charged_retail(app, oil):
    oil.variants[0].trade_price_pence = None
    db.session.commit()
    client = signed_in(app, "physio@example.com", trade_status="approved")
    add_to_cart(client, oil.variants[0].id, 1)
    checkout(client)
    assert db.session.scalars(select(Order)).one().lines[0].unit_price_pence == 1000


# --- whose orders are whose -----------------------------------------------------------------

def test_a_customer_sees_only_their_own_orders(app, oil):
    alice = make.user("alice@example.com")
    bob = make.user("bob@example.com")
    alices = make.paid_order(alice, [(oil.variants[0], 1)])
    bobs = make.paid_order(bob, [(oil.variants[1], 1)])
    client = app.test_client()
    sign_in(client, "alice@example.com", PASSWORD)
    page = client.get("/account").get_data(as_text=True)
    assert alices.number in page and bobs.number not in page
    assert client.get(f"/account/orders/{alices.id}").status_code == 200
    assert client.get(f"/account/orders/{bobs.id}").status_code == 404
    assert client.get(f"/account/orders/{bobs.id}/receipt").status_code == 404
    token = page_token(client, f"/account/orders/{alices.id}")
    assert client.post(f"/account/orders/{bobs.id}/buy-again", data={"csrf_token": token}).status_code == 404
    assert client.post(f"/account/orders/{bobs.id}/save-to-supplies", data={"csrf_token": token}).status_code == 404
    assert cart_of(client) == {}


def test_the_account_pages_show_where_you_are_in_the_header_and_the_account_menu(app, oil):
    client = signed_in(app, "alice@example.com")
    order = make.paid_order(db.session.scalar(select(User).where(User.email == "alice@example.com")), [(oil.variants[0], 1)])
    home = client.get("/account").get_data(as_text=True)
    assert '<a href="/account" aria-current="page">Account</a>' in home
    assert '<a href="/account" aria-current="page">Orders</a>' in home
    order_page = client.get(f"/account/orders/{order.id}").get_data(as_text=True)
    assert '<a href="/account" aria-current="page">Account</a>' in order_page
    assert '<a href="/account">Your account</a>' in order_page
    receipt = client.get(f"/account/orders/{order.id}/receipt").get_data(as_text=True)
    assert f'href="/account/orders/{order.id}">Back to the order</a>' in receipt


def test_anonymous_visitors_are_sent_to_sign_in(app, oil):
    order = make.paid_order(make.user("alice@example.com"), [(oil.variants[0], 1)])
    client = app.test_client()
    for url in ("/account", f"/account/orders/{order.id}", f"/account/orders/{order.id}/receipt", "/account/supplies", "/account/trade"):
        answer = client.get(url)
        assert answer.status_code == 302 and "/account/sign-in" in answer.headers["Location"], url


def test_guest_orders_with_the_confirmed_email_show_in_the_account(app, oil):
    guest = make.paid_order(None, [(oil.variants[0], 1)], email="alice@example.com")
    stranger = make.paid_order(None, [(oil.variants[0], 2)], email="someone@example.com")
    client = signed_in(app, "alice@example.com")
    page = client.get("/account").get_data(as_text=True)
    assert guest.number in page and stranger.number not in page
    assert client.get(f"/account/orders/{stranger.id}").status_code == 404


def test_an_unconfirmed_account_never_sees_guest_orders(app, oil):
    from shop.orders.visibility import orders_of

    make.paid_order(None, [(oil.variants[0], 1)], email="alice@example.com")
    unconfirmed = make.user("alice@example.com", verified=False)
    assert orders_of(unconfirmed) == []


def test_the_order_page_shows_tracking_once_shipped(app, oil):
    alice = make.user("alice@example.com")
    order = make.paid_order(alice, [(oil.variants[0], 1)])
    order.shipped_at, order.carrier, order.tracking_number = utcnow(), "Royal Mail", "RM123456785GB"
    db.session.commit()
    client = app.test_client()
    sign_in(client, "alice@example.com", PASSWORD)
    page = client.get(f"/account/orders/{order.id}").get_data(as_text=True)
    assert "Shipped" in page and "Royal Mail" in page and "RM123456785GB" in page


# --- buy again ------------------------------------------------------------------------------

def test_buy_again_adds_what_it_can_and_says_plainly_what_it_could_not(app):
    arnica = make.product("Arnica Cream", sizes=((100, 1500, 2), (500, 5000, 10)))
    balm = make.product("Warming Balm", sizes=((50, 800, 0), (100, 1400, 6)))
    gone = make.product("Old Lotion", sizes=((200, 900, 10),))
    gel = make.product("Cooling Gel", sizes=((100, 1100, 10),))
    alice = make.user("alice@example.com")
    order = make.paid_order(alice, [(arnica.variants[0], 5), (balm.variants[0], 1), (gone.variants[0], 1), (gel.variants[0], 2, 950)])
    gone.published = False
    db.session.commit()

    client = app.test_client()
    sign_in(client, "alice@example.com", PASSWORD)
    answer = client.post(f"/account/orders/{order.id}/buy-again", data={"csrf_token": page_token(client, f"/account/orders/{order.id}")})
    assert answer.status_code == 303 and answer.headers["Location"].endswith("/cart")
    assert cart_of(client) == {arnica.variants[0].id: 2, gel.variants[0].id: 2}
    page = client.get("/cart").get_data(as_text=True)
    assert "Added to your cart: 2 × Cooling Gel (100 ml)" in page
    assert "Arnica Cream (100 ml): only 2 of 5 added" in page
    assert "Warming Balm (50 ml) is out of stock, so it was not added. Other sizes in stock: 100 ml." in page
    assert "Old Lotion (200 ml) is no longer sold" in page
    assert "Cooling Gel (100 ml) is now £11.00 each (you paid £9.50)" in page


# --- supplies list --------------------------------------------------------------------------

def test_supplies_list_from_product_page_and_past_order_then_all_to_cart(app, oil):
    arnica = make.product("Arnica Cream", sizes=((500, 5000, 10),))
    client = signed_in(app, "physio@example.com", trade_status="approved")
    token = page_token(client, "/products/grapeseed-oil")
    saved = client.post("/account/supplies/add", data={"variant_id": oil.variants[1].id, "quantity": 2, "csrf_token": token})
    assert saved.status_code == 303
    physio = db.session.scalar(select(User).where(User.email == "physio@example.com"))
    order = make.paid_order(physio, [(arnica.variants[0], 6)], pricing="trade")
    client.post(f"/account/orders/{order.id}/save-to-supplies", data={"csrf_token": token})
    page = client.get("/account/supplies").get_data(as_text=True)
    assert "Grapeseed Oil" in page and "Arnica Cream" in page and "£90.00" in page  # trade price now

    answer = client.post("/account/supplies/to-cart", data={"csrf_token": token})
    assert answer.status_code == 303
    assert cart_of(client) == {oil.variants[1].id: 2, arnica.variants[0].id: 6}


def test_supplies_list_reports_items_since_unpublished_or_sold_out(app, oil):
    client = signed_in(app, "physio@example.com")
    physio = db.session.scalar(select(User).where(User.email == "physio@example.com"))
    db.session.add_all([SupplyItem(user_id=physio.id, variant_id=oil.variants[0].id, quantity=30),
                        SupplyItem(user_id=physio.id, variant_id=oil.variants[1].id, quantity=1)])
    oil.variants[1].stock_on_hand = 0  # sold out since it was listed
    db.session.commit()
    client.post("/account/supplies/to-cart", data={"csrf_token": page_token(client, "/account")})
    assert cart_of(client) == {oil.variants[0].id: 20}
    page = client.get("/cart").get_data(as_text=True)
    assert "only 20 of 30 added" in page and "Grapeseed Oil (5 L) is out of stock" in page


@pytest.mark.parametrize("quantity", ["0", "-1", "100", "two", ""])
def test_supplies_list_refuses_quantities_outside_the_limits(app, oil, quantity):
    client = signed_in(app, "physio@example.com")
    token = page_token(client, "/account")
    client.post("/account/supplies/add", data={"variant_id": oil.variants[0].id, "quantity": 1, "csrf_token": token})
    item = db.session.scalar(select(SupplyItem))
    answer = client.post("/account/supplies/update", data={"item_id": item.id, "quantity": quantity, "csrf_token": token})
    assert answer.status_code == 400
    db.session.expire_all()
    assert db.session.scalar(select(SupplyItem.quantity)) == 1
    bad_add = client.post("/account/supplies/add", data={"variant_id": oil.variants[1].id, "quantity": quantity, "csrf_token": token})
    assert bad_add.status_code == 400
    assert db.session.query(SupplyItem).count() == 1


def test_someone_elses_supply_line_cannot_be_changed(app, oil):
    other = make.user("other@example.com")
    db.session.add(SupplyItem(user_id=other.id, variant_id=oil.variants[0].id, quantity=3))
    db.session.commit()
    item = db.session.scalar(select(SupplyItem))
    client = signed_in(app, "physio@example.com")
    token = page_token(client, "/account")
    assert client.post("/account/supplies/update", data={"item_id": item.id, "quantity": 9, "csrf_token": token}).status_code == 400
    assert client.post("/account/supplies/remove", data={"item_id": item.id, "csrf_token": token}).status_code == 400
    db.session.expire_all()
    assert db.session.scalar(select(SupplyItem.quantity)) == 3


# --- quick order pad ------------------------------------------------------------------------

def test_quick_order_lists_every_size_and_searches(app, oil):
    make.product("Arnica Cream", sizes=((100, 1500, 5),))
    hidden = make.product("Hidden Lotion", sizes=((100, 500, 5),), published=False)
    page = app.test_client().get("/quick-order").get_data(as_text=True)
    assert oil.variants[0].sku in page and oil.variants[1].sku in page and "Arnica Cream" in page
    assert hidden.variants[0].sku not in page
    found = app.test_client().get(f"/quick-order?q={oil.variants[1].sku.lower()}").get_data(as_text=True)
    assert oil.variants[1].sku in found and "Arnica Cream" not in found


def test_quick_order_adds_many_lines_at_once(app, oil):
    arnica = make.product("Arnica Cream", sizes=((100, 1500, 5),))
    client = app.test_client()
    token = page_token(client, "/quick-order")
    answer = client.post("/quick-order", data={f"qty-{oil.variants[0].id}": "3", f"qty-{oil.variants[1].id}": "",
                                               f"qty-{arnica.variants[0].id}": "2", "csrf_token": token})
    assert answer.status_code == 303
    assert cart_of(client) == {oil.variants[0].id: 3, arnica.variants[0].id: 2}


@pytest.mark.parametrize("typed, message", [("abc", "whole number"), ("-2", "whole number"), ("100", "whole number"), ("6", "Only 5 left")])
def test_quick_order_adds_nothing_when_any_line_is_wrong(app, oil, typed, message):
    arnica = make.product("Arnica Cream", sizes=((100, 1500, 5),))
    client = app.test_client()
    token = page_token(client, "/quick-order")
    answer = client.post("/quick-order", data={f"qty-{oil.variants[0].id}": "3", f"qty-{arnica.variants[0].id}": typed, "csrf_token": token})
    assert answer.status_code == 400
    text = answer.get_data(as_text=True)
    assert message in text and "nothing was added" in text
    assert f'value="{typed}"' in text  # what the buyer typed is kept
    assert cart_of(client) == {}


def test_quick_order_reports_every_problem_of_every_line_at_once(app, oil):
    # A malformed quantity used to hide the stock problems until it was fixed: two rounds of errors.
    arnica = make.product("Arnica Cream", sizes=((100, 1500, 5),))
    balm = make.product("Calendula Balm", sizes=((50, 800, 0), (100, 1400, 3)))
    client = app.test_client()
    token = page_token(client, "/quick-order")
    answer = client.post("/quick-order", data={
        f"qty-{oil.variants[0].id}": "lots", f"qty-{arnica.variants[0].id}": "6", f"qty-{balm.variants[1].id}": "4",
        f"qty-{oil.variants[1].id}": "2", "csrf_token": token})
    assert answer.status_code == 400
    text = html.unescape(answer.get_data(as_text=True))
    assert "3 items can't be added as typed; nothing was added" in text
    for variant, message in ((oil.variants[0], "Enter a whole number from 0 to 99."), (arnica.variants[0], "Only 5 left."),
                             (balm.variants[1], "Only 3 left.")):
        assert re.search(rf'id="qo-problem-{variant.id}">{re.escape(message)}<', text), variant.sku
    assert f'id="qo-problem-{oil.variants[1].id}"' not in text  # the one right line is not marked
    assert cart_of(client) == {}


def test_quick_order_with_nothing_typed_says_so(app, oil):
    client = app.test_client()
    answer = client.post("/quick-order", data={"csrf_token": page_token(client, "/quick-order")})
    assert answer.status_code == 400 and "at least one item" in answer.get_data(as_text=True)


# --- running low ----------------------------------------------------------------------------

def test_running_low_on_the_account_page_adds_due_items(app, oil):
    physio = make.user("physio@example.com")
    today = utcnow()
    for days_ago in (95, 65, 35):  # every 30 days: due 5 days ago
        make.paid_order(physio, [(oil.variants[1], 2)], paid_at=today - timedelta(days=days_ago))
    balm = make.product("Warming Balm", sizes=((50, 800, 10),))
    for days_ago in (20, 10):  # only twice: no estimate yet
        make.paid_order(physio, [(balm.variants[0], 1)], paid_at=today - timedelta(days=days_ago))
    client = app.test_client()
    sign_in(client, "physio@example.com", PASSWORD)
    page = client.get("/account").get_data(as_text=True)
    assert "Running low?" in page and "30 days" in page and "Overdue since" in page
    assert "Warming Balm" not in page.split("Running low?")[1].split("Your orders")[0]
    answer = client.post("/account/running-low/to-cart", data={"csrf_token": page_token(client, "/account")})
    assert answer.status_code == 303
    assert cart_of(client) == {oil.variants[1].id: 2}


# --- receipts -------------------------------------------------------------------------------

def test_receipt_shows_what_a_bookkeeper_needs(app, oil):
    alice = make.user("alice@example.com")
    order = make.paid_order(alice, [(oil.variants[1], 1)])  # £120.00 including VAT: £20.00 of it
    client = app.test_client()
    sign_in(client, "alice@example.com", PASSWORD)
    page = client.get(f"/account/orders/{order.id}/receipt").get_data(as_text=True)
    for expected in (order.number, "Receipt", "£120.00", "VAT included in this receipt: <strong>£20.00</strong>",
                     app.config["STORE_VAT_NUMBER"], app.config["STORE_ADDRESS"], "Grapeseed Oil"):
        assert expected in page, expected


def test_guests_get_a_receipt_from_their_private_link_once_paid(app, oil):
    paid = make.paid_order(None, [(oil.variants[0], 1)], email="guest@example.com")
    unpaid = make.paid_order(None, [(oil.variants[0], 1)], email="guest@example.com", status="payment_processing")
    client = app.test_client()
    assert client.get(f"/orders/{paid.token}/receipt").status_code == 200
    assert client.get(f"/orders/{unpaid.token}/receipt").status_code == 404
    assert client.get("/orders/not-a-real-token/receipt").status_code == 404


@pytest.mark.parametrize("url, field", [("/account/supplies/add", "variant_id"), ("/account/supplies/update", "item_id"),
                                        ("/account/supplies/remove", "item_id")])
def test_ids_too_large_for_the_database_are_a_clear_400(app, url, field):
    client = signed_in(app, "physio@example.com")
    answer = client.post(url, data={field: str(2**63), "quantity": 1, "csrf_token": page_token(client, "/account")})
    assert answer.status_code == 400 and "That choice is not valid." in answer.get_data(as_text=True)


def test_quick_order_ignores_impossible_ids(app, oil):
    client = app.test_client()
    answer = client.post("/quick-order", data={"qty-99999999999999999999": "1", "csrf_token": page_token(client, "/quick-order")})
    assert answer.status_code == 400 and "at least one item" in answer.get_data(as_text=True)


def test_the_success_page_shows_details_to_the_signed_in_owner_on_another_device(app, oil):
    make.user("alice@example.com")
    laptop = app.test_client()
    sign_in(laptop, "alice@example.com", PASSWORD)
    add_to_cart(laptop, oil.variants[0].id, 1)
    assert checkout(laptop).status_code == 303
    order = db.session.scalars(select(Order)).one()
    success = f"/checkout/success?session_id={order.checkout_session_id}"

    stranger = app.test_client()
    assert "Thank you for your order" in stranger.get(success).get_data(as_text=True)
    assert order.number not in stranger.get(success).get_data(as_text=True)

    phone = app.test_client()
    sign_in(phone, "alice@example.com", PASSWORD)
    page = phone.get(success).get_data(as_text=True)
    assert order.number in page and "Grapeseed Oil" in page
