"""Delivery methods and rates edited in the back office: the cart prices from them at once; every change audited."""
from sqlalchemy import select

from shop.audit.models import AuditEntry
from shop.delivery.models import DeliveryMethod, DeliveryZone
from shop.delivery.services import quote_delivery
from shop.extensions import db
from tests.admin.support import post, signed_in
from tests.helpers import ensure_delivery


def test_an_admin_changes_a_rate_adds_a_band_and_the_quote_follows(client):
    signed_in(client)
    ensure_delivery()
    method = db.session.scalars(select(DeliveryMethod).where(DeliveryMethod.code == "tracked-48")).one()
    mainland = db.session.scalars(select(DeliveryZone).where(DeliveryZone.code == "mainland")).one()
    page = client.get(f"/admin/delivery/{method.id}").get_data(as_text=True)
    assert f'name="rate-{mainland.id}-1000" value="4.95"' in page
    form = {k: v for k, v in _form_of(page).items()}
    form.update({f"rate-{mainland.id}-1000": "3.95", "new_band_grams": "10000", f"new-{mainland.id}": "12.50",
                 "free_over": "60", "name": "Royal Mail Tracked 48"})
    assert post(client, f"/admin/delivery/{method.id}", form).status_code == 303
    db.session.expire_all()
    assert quote_delivery("M1 1AA", weight_grams=500, goods_pence=1000).option("tracked-48").price_pence == 395
    assert quote_delivery("M1 1AA", weight_grams=8000, goods_pence=1000).option("tracked-48").price_pence == 1250
    assert quote_delivery("M1 1AA", weight_grams=500, goods_pence=5000).option("tracked-48").price_pence == 395  # now free over £60
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "delivery.method_saved")).one()
    assert "mainland up to 1000 g: 495" in entry.before_json and "mainland up to 1000 g: 395" in entry.after_json


def test_a_bad_rate_is_refused_with_its_zone_and_band_and_nothing_changes(client):
    signed_in(client)
    ensure_delivery()
    method = db.session.scalars(select(DeliveryMethod).where(DeliveryMethod.code == "tracked-24")).one()
    mainland = db.session.scalars(select(DeliveryZone).where(DeliveryZone.code == "mainland")).one()
    form = _form_of(client.get(f"/admin/delivery/{method.id}").get_data(as_text=True))
    form.update({f"rate-{mainland.id}-1000": "cheap", "min_days": "3", "max_days": "2"})
    response = post(client, f"/admin/delivery/{method.id}", form)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Mainland Great Britain, up to 1000 g:" in html and "The most working days cannot be fewer than the fewest." in html
    db.session.expire_all()
    assert quote_delivery("M1 1AA", weight_grams=500, goods_pence=1000).option("tracked-24").price_pence == 695


def _form_of(html: str) -> dict:
    import re

    form = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', html))
    form.pop("csrf_token", None)
    if 'name="active" value="1" checked' in html:
        form["active"] = "1"
    return form


def test_an_admin_moves_a_district_between_zones_and_a_clash_is_refused(client):
    signed_in(client)
    ensure_delivery()
    zones = {z.code: z for z in db.session.scalars(select(DeliveryZone))}
    highlands = zones["highlands-islands"]
    prefixes = " ".join(p.prefix for p in highlands.postcodes)
    clash = post(client, f"/admin/delivery/zones/{highlands.id}", {"postcodes": prefixes + " LS hello!"})
    html = clash.get_data(as_text=True)
    assert clash.status_code == 422
    assert "Not a postcode area or district: HELLO!" in html and "Already in another zone: LS (Mainland Great Britain)." in html
    assert post(client, f"/admin/delivery/zones/{highlands.id}", {"postcodes": prefixes.replace("KA27 ", "")}).status_code == 303
    db.session.expire_all()
    assert quote_delivery("KA27 8AA", weight_grams=500, goods_pence=1000).zone_code == "mainland"  # back to its area
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "delivery.zone_saved")).one()
    assert "KA27" in entry.before_json and "KA27" not in entry.after_json
