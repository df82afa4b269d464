"""Every size has a shipping weight: estimated for a new size, set in the back office, summed into the parcel."""
from sqlalchemy import select

from shop.cart.services import price_cart
from shop.catalog.models import Variant
from shop.delivery.weights import estimated_shipping_grams
from shop.extensions import db
from tests import factories as make
from tests.admin.support import signed_in
from tests.helpers import ensure_delivery, page_token


def test_the_parcel_weighs_what_its_sizes_weigh_and_the_admin_sets_a_size_s_weight(app, client):
    signed_in(client)
    ensure_delivery()
    product = make.product("Balm", sizes=((50, 899, 5),), unit="g")
    variant = product.variants[0]
    assert variant.shipping_weight_grams == estimated_shipping_grams(50) == 150  # 47 g of balm, a 40 g pot, 60 g of packing, to the next 10 g
    url = f"/admin/products/{product.id}"
    base = {"sku": variant.sku, "size_label": "50 g", "amount": "50", "unit": "g", "price": "8.99", "low_stock_threshold": "5"}
    bad = client.post(f"{url}/variants/{variant.id}", data={"csrf_token": page_token(client, url), **base, "shipping_weight_grams": "0"})
    assert bad.status_code == 422 and "the shipping weight must be a whole number of grams" in bad.get_data(as_text=True)
    ok = client.post(f"{url}/variants/{variant.id}", data={"csrf_token": page_token(client, url), **base, "shipping_weight_grams": "1200"})
    assert ok.status_code == 303
    db.session.expire_all()
    assert db.session.scalar(select(Variant.shipping_weight_grams).where(Variant.id == variant.id)) == 1200
    cart = price_cart({variant.id: 2}, currency="gbp", postcode="M1 1AA", delivery_method="tracked-48")
    assert cart.weight_grams == 2400 and cart.shipping_pence == 795  # the 2-5 kg band


def test_demo_sizes_weigh_what_they_would_packed(demo):
    weights = dict(db.session.execute(select(Variant.sku, Variant.shipping_weight_grams)).all())
    assert all(w > 0 for w in weights.values())
    assert 5000 < weights["OIL-GRP-5000"] < 6000 and 150 < weights["OIL-GRP-0100"] < 300
