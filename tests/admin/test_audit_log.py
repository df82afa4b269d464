"""The audit log names every change, from the back office or the command line, in the shop's own words."""
import re

from sqlalchemy import select

from shop.audit.models import AuditEntry
from shop.extensions import db
from tests import factories as make
from tests.admin.support import post, signed_in
from tests.helpers import page_token


def audit_text(client, **query) -> str:
    html = client.get("/admin/audit", query_string=query).get_data(as_text=True)
    table = html[html.index("<tbody>"):html.index("</tbody>")]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", table)).strip()


def test_an_approval_from_the_command_line_is_in_the_log(app, client, runner):
    signed_in(client)
    make.user("jo@clinic.example", trade_status="pending", clinic_name="Harbour Physio")
    assert runner.invoke(args=["shop", "approve-practitioner", "jo@clinic.example"]).exit_code == 0
    entry = db.session.scalars(select(AuditEntry)).one()
    assert (entry.actor_id, entry.actor_email, entry.action) == (None, "command line", "trade.approve")
    text = audit_text(client)
    assert "command line Approved trade account approved jo@clinic.example (Harbour Physio)" in text
    assert "Status pending → approved" in text and "Role customer → practitioner" in text
    assert "Reason" not in text  # it was empty before and after


def test_other_command_line_changes_are_logged_too(app, client, runner):
    signed_in(client, email="boss@example.com")
    make.user("jo@clinic.example", trade_status="approved")
    assert runner.invoke(args=["shop", "set-patient-discount", "jo@clinic.example", "10"]).exit_code == 0
    assert runner.invoke(args=["shop", "create-admin", "second@example.com", "--password", "a long new password 42"]).exit_code == 0
    text = audit_text(client, actor="command line")
    assert "Set patient discount" in text and "Patient discount (%) 0 → 10" in text
    assert "Made an admin second@example.com is an admin" in text


def test_a_price_change_shows_only_the_price_in_pounds(app, client):
    signed_in(client)
    product = make.product("Arnica Cream", sizes=((250, 1299, 5),))
    variant = product.variants[0]
    url = f"/admin/products/{product.id}"
    fields = {"sku": variant.sku, "size_label": variant.size_label, "amount": "250", "unit": variant.unit,
              "price": "13.49", "trade_price": f"{variant.trade_price_pence / 100:.2f}",
              "low_stock_threshold": str(variant.low_stock_threshold)}
    assert post(client, f"{url}/variants/{variant.id}", fields, url).status_code == 303
    text = audit_text(client)
    assert f"Edited size {variant.sku} of Arnica Cream Price £12.99 → £13.49" in text
    for unchanged in ("250 → 250", "Amount", "Trade price", "price_pence", "1299"):
        assert unchanged not in text


def test_saving_a_product_unchanged_writes_nothing(app, client):
    signed_in(client)
    product = make.product("Arnica Cream", sizes=((250, 1299, 5),))
    url = f"/admin/products/{product.id}"
    # What the browser sends when the admin presses Save without touching anything.
    form = {name: getattr(product, name) or "" for name in ("name", "slug", "summary", "description", "how_to_use",
                                                            "ingredients", "cautions", "container", "colour", "tint")}
    form["category_id"] = str(product.category_id)
    form.update({name: "1" for name in ("for_home_care", "for_practice", "featured", "published") if getattr(product, name)})
    form["flag_ids"] = [str(f.id) for f in product.flags]
    assert post(client, url, form, url).status_code == 303
    assert db.session.scalars(select(AuditEntry.after_json)).all() == []


def test_a_refund_with_stock_back_reads_in_pounds_and_skus(app, client):
    signed_in(client)
    cream = make.product("Arnica Cream", sizes=((100, 1347, 5),))
    variant = cream.variants[0]
    order = make.paid_order(None, [(variant, 2)], email="ann@example.com")
    order.payment_intent_id = "demo_pi_audit"
    db.session.commit()
    url = f"/admin/orders/{order.id}"
    attempt = re.search(r'name="attempt" value="([^"]+)"', client.get(url).get_data(as_text=True)).group(1)
    answer = client.post(url + "/refund", data={"csrf_token": page_token(client, url), "amount": "13.47", "reason": "requested_by_customer",
                                               "note": "lid cracked", f"return_{variant.id}": "1", "attempt": attempt, "confirm": "yes"})
    assert answer.status_code == 303
    text = audit_text(client)
    assert f"Refunded order refunded £13.47 on {order.number}" in text
    assert "Refunded in all £0.00 → £13.47" in text and f"Back in stock 1 × {variant.sku}" in text
    history = client.get(url).get_data(as_text=True)
    assert "Refunded £13.47 (requested by the customer), 1 unit(s) back in stock: lid cracked" in history
    assert "pence" not in history[history.index('id="history-title"'):]
