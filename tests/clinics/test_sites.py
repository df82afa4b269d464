"""A clinic's address book: a site chosen in the cart is where the parcel goes, with no address asked at payment."""
import re

from sqlalchemy import select

from shop.clinics.models import ClinicAddress
from shop.clinics.services import ClinicError, add_site
from shop.extensions import db
from shop.orders.models import Order
from tests import factories as make
from tests.factories import PASSWORD
from tests.helpers import add_to_cart, csrf_token, ensure_delivery, sign_in

import pytest


def test_a_buyer_checks_out_to_one_of_the_clinics_sites(app, client, jo, sam, oil):
    site = add_site(jo, site_name="Leeds clinic", recipient="Harbour Physio (Leeds)", line1="4 Wharf Street", line2="",
                    city="Leeds", postcode="ls2 7ep")
    assert site.postcode == "LS2 7EP"
    ensure_delivery()
    sign_in(client, "sam@harbour.example", PASSWORD)
    add_to_cart(client, oil.variants[0].id, 2)
    assert client.post("/cart/site", data={"site": site.id, "csrf_token": csrf_token(client)}).status_code == 303
    client.post("/cart/delivery", data={"postcode": "LS2 7EP", "method": "tracked-48", "csrf_token": csrf_token(client)})
    cart = client.get("/cart").get_data(as_text=True)
    assert "4 Wharf Street" in cart and "Delivery to LS2 7EP" in cart

    pay_url = client.post("/checkout", data={"csrf_token": csrf_token(client)}).headers["Location"]
    order = db.session.scalars(select(Order)).one()
    assert (order.ship_name, order.ship_line1, order.ship_postcode) == ("Harbour Physio (Leeds)", "4 Wharf Street", "LS2 7EP")
    html = client.get(pay_url).get_data(as_text=True)
    action = re.search(r'action="(/demo-pay/[^"]+/pay)"', html).group(1)
    client.get(client.post(action, data={"csrf_token": csrf_token(client)}).headers["Location"])  # the success page
    db.session.expire_all()
    order = db.session.get(Order, order.id)
    assert order.status == "paid" and order.ship_line1 == "4 Wharf Street"  # in the zone charged: not held for review


def test_another_clinics_site_cannot_be_chosen_and_a_buyer_cannot_add_one(app, client, jo, sam):
    lee = make.user("lee@riverside.example", trade_status="approved")
    theirs = add_site(lee, site_name="Riverside", recipient="Lee", line1="1 River Road", line2="", city="York",
                      postcode="YO1 7HH")
    sign_in(client, "sam@harbour.example", PASSWORD)
    assert client.post("/cart/site", data={"site": theirs.id, "csrf_token": csrf_token(client)}).status_code == 404
    with pytest.raises(ClinicError, match="postcode"):
        add_site(jo, site_name="Bad", recipient="Jo", line1="1 Lane", line2="", city="Leeds", postcode="NOPE")
    assert db.session.scalars(select(ClinicAddress.site_name)).all() == ["Riverside"]
