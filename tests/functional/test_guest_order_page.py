"""A guest after paying: the private order page shows the parcel once shipped, and the receipt is one link away."""
import re
from email import message_from_bytes, policy

import pytest
from sqlalchemy import select

from shop.extensions import db
from shop.orders.models import Order
from tests import factories as make
from tests.admin.support import post, signed_in
from tests.helpers import add_to_cart, checkout, csrf_token, email_text, outbox


@pytest.fixture
def oil(app):
    return make.product("Grapeseed Oil", slug="grapeseed-oil", sizes=((100, 699, 10),))


def paid_as_guest(client, oil):
    """A guest buys through the demo payment page; returns the success page's address and the order."""
    add_to_cart(client, oil.variants[0].id, 2)
    pay_url = checkout(client).headers["Location"]
    action = re.search(r'action="(/demo-pay/[^"]+/pay)"', client.get(pay_url).get_data(as_text=True)).group(1)
    success_url = client.post(action, data={"csrf_token": csrf_token(client, pay_url)}).headers["Location"]
    assert client.get(success_url).status_code == 200
    db.session.expire_all()
    return success_url, db.session.scalars(select(Order)).one()


def html_part(path) -> str:
    return message_from_bytes(path.read_bytes(), policy=policy.default).get_body(("html",)).get_content()


def test_the_guests_order_page_shows_the_parcel_once_shipped(app, client, oil):
    _, order = paid_as_guest(client, oil)
    page = client.get(f"/orders/{order.token}").get_data(as_text=True)
    assert "We'll send your parcel within two working days" in page and "Shipped" not in page

    admin = app.test_client()
    signed_in(admin)
    url = f"/admin/orders/{order.id}"
    assert post(admin, url + "/ship", {"carrier": "Royal Mail", "tracking_number": "RM123456785GB"}, url).status_code == 303

    db.session.refresh(order)
    guest = app.test_client()  # the guest on another device, with only the link from the email
    page = guest.get(f"/orders/{order.token}").get_data(as_text=True)
    assert '<p class="status-pill status-paid">Shipped</p>' in page
    shipped_on = order.shipped_at.strftime("%-d %B %Y")
    assert f"Shipped {shipped_on} with Royal Mail, tracking number <strong>RM123456785GB</strong>." in page
    assert "We'll send your parcel within two working days" not in page


def test_the_receipt_is_linked_from_the_success_page_the_order_page_and_the_email(app, client, oil):
    success_url, order = paid_as_guest(client, oil)
    receipt = f"/orders/{order.token}/receipt"
    assert f'href="{receipt}"' in client.get(success_url).get_data(as_text=True)
    assert f'href="{receipt}"' in app.test_client().get(f"/orders/{order.token}").get_data(as_text=True)

    [mail] = outbox(app)
    assert re.search(r"https?://[^/\s]+" + re.escape(receipt) + r"\s", email_text(mail))
    assert re.search(r'href="https?://[^/"]+' + re.escape(receipt) + '"', html_part(mail))
    answer = app.test_client().get(receipt)
    assert answer.status_code == 200 and order.number in answer.get_data(as_text=True)


def test_an_unpaid_order_page_offers_no_receipt(app, client, oil):
    add_to_cart(client, oil.variants[0].id, 1)
    checkout(client)
    order = db.session.scalars(select(Order)).one()
    assert "/receipt" not in client.get(f"/orders/{order.token}").get_data(as_text=True)
