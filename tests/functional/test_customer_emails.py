"""What the shop's emails say to the people who get them: their name, the true reason, what to watch for."""
import re
from email import message_from_bytes, policy

import pytest
from sqlalchemy import select

from shop.extensions import db
from shop.orders.models import Order
from tests import factories as make
from tests.admin.support import signed_in
from tests.factories import PASSWORD
from tests.helpers import add_to_cart, checkout, csrf_token, email_text, outbox, page_token, sign_in


def html_part(path) -> str:
    html = message_from_bytes(path.read_bytes(), policy=policy.default).get_body(("html",)).get_content()
    return re.sub(r" ([:.,])", r"\1", " ".join(re.sub(r"<[^>]+>", " ", html).split()))


def paid(client, *lines):
    for variant, quantity in lines:
        add_to_cart(client, variant.id, quantity)
    pay_url = checkout(client).headers["Location"]
    action = re.search(r'action="(/demo-pay/[^"]+/pay)"', client.get(pay_url).get_data(as_text=True)).group(1)
    assert client.get(client.post(action, data={"csrf_token": csrf_token(client, pay_url)}).headers["Location"]).status_code == 200
    db.session.expire_all()
    return db.session.scalars(select(Order).order_by(Order.id.desc())).first()


# --- the order confirmation -----------------------------------------------------------------

def test_the_confirmation_reminds_the_buyer_of_allergens_and_cautions_in_what_they_bought(app, client):
    almond = make.product("Sweet Almond Oil", sizes=((250, 1200, 20),), allergens=("tree-nuts",),
                          cautions="Do not use on anyone with a nut allergy.")
    arnica = make.product("Arnica Cream", sizes=((100, 1500, 20),), cautions="Not for broken skin.")
    gel = make.product("Plain Gel", sizes=((100, 1000, 20),))
    paid(client, (almond.variants[0], 1), (arnica.variants[0], 1), (gel.variants[0], 1))
    [mail] = outbox(app)
    text, html = email_text(mail), html_part(mail)
    for body in (text, html):
        assert "Before you use them: allergens and cautions" in body
        assert "Sweet Almond Oil: contains tree nuts. Do not use on anyone with a nut allergy." in body
        assert "Arnica Cream: Not for broken skin." in body
        assert "Plain Gel:" not in body  # nothing to warn about


def test_an_order_with_nothing_to_warn_about_has_no_reminder(app, client):
    gel = make.product("Plain Gel", sizes=((100, 1000, 20),))
    paid(client, (gel.variants[0], 1))
    [mail] = outbox(app)
    assert "allergens and cautions" not in email_text(mail) and "allergens and cautions" not in html_part(mail)


def test_the_html_confirmation_has_the_skus_and_the_contact_line_the_text_has(app, client):
    gel = make.product("Plain Gel", sizes=((100, 1000, 20),))
    paid(client, (gel.variants[0], 2))
    [mail] = outbox(app)
    sku, phone = gel.variants[0].sku, app.config["STORE_PHONE"]
    assert sku in email_text(mail) and sku in html_part(mail)
    assert f"Questions? Reply to this email or call {phone}." in email_text(mail)
    assert f"Questions? Reply to this email or call {phone}." in html_part(mail)


# --- refunds --------------------------------------------------------------------------------

@pytest.mark.parametrize("reason, says", [("requested_by_customer", ""), ("fraudulent", ""),
                                          ("duplicate", ", as you were charged twice")])
def test_the_refund_email_gives_the_real_reason_or_none(app, client, reason, says):
    gel = make.product("Plain Gel", sizes=((100, 2000, 20),))
    order = paid(client, (gel.variants[0], 3))
    admin = app.test_client()
    signed_in(admin)
    page = admin.get(f"/admin/orders/{order.id}").get_data(as_text=True)
    attempt = re.search(r'name="attempt" value="([^"]+)"', page).group(1)
    answer = admin.post(f"/admin/orders/{order.id}/refund", data={
        "csrf_token": page_token(admin, f"/admin/orders/{order.id}"), "attempt": attempt, "amount": "10.00",
        "reason": reason, "note": "Leaking pump, sent a photo", "confirm": "yes"})
    assert answer.status_code == 303, answer.get_data(as_text=True)[:300]
    text = email_text(outbox(app)[-1])
    assert f"We've refunded £10.00 on your order {order.number}{says}.\n" in text
    assert "requested by the customer" not in text.lower() and "fraud" not in text.lower()
    assert "Leaking pump" not in text  # the admin's note is for the back office


# --- trade accounts -------------------------------------------------------------------------

def apply(client):
    data = {"clinic_name": "Harbour Physio", "profession": "physiotherapist", "professional_body": "HCPC",
            "registration_number": "PH123456", "address_line1": "1 High Street", "city": "Leeds",
            "postcode": "LS1 1AA", "phone": "0113 496 0000", "csrf_token": page_token(client, "/account")}
    return client.post("/account/trade", data=data)


def last_greeting(app) -> str:
    return email_text(outbox(app)[-1]).splitlines()[0]


@pytest.mark.parametrize("name, greeting", [("Jo Physio", "Hello Jo Physio,"), ("", "Hello Harbour Physio,")])
def test_trade_emails_greet_the_person_or_else_the_clinic(app, runner, name, greeting):
    make.user("jo@clinic.example", name=name)
    client = app.test_client()
    assert sign_in(client, "jo@clinic.example", PASSWORD).status_code == 303
    assert apply(client).status_code in (302, 303)
    assert last_greeting(app) == greeting  # "we have your application"
    assert runner.invoke(args=["shop", "reject-practitioner", "jo@clinic.example", "--reason", "Number not found"]).exit_code == 0
    assert last_greeting(app) == greeting
    assert apply(client).status_code in (302, 303)
    assert runner.invoke(args=["shop", "approve-practitioner", "jo@clinic.example"]).exit_code == 0
    assert last_greeting(app) == greeting
