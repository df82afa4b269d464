"""The back office answers a request by email, for a guest too: export or erase, same rules, audited."""
import json

from sqlalchemy import select

from shop.audit.models import AuditEntry
from shop.extensions import db
from shop.messages.outbox import record_message
from shop.orders.models import Order
from tests import factories as make
from tests.admin.support import post, signed_in
from tests.functional.test_my_data import everything_stored


def guest_with_an_order():
    cream = make.product("Arnica Cream", sizes=((100, 1500, 10),))
    order = make.paid_order(None, [(cream.variants[0], 1)], email="guest@example.org")
    order.ship_name, order.ship_line1 = "Gail Guest", "4 Quay Street"
    record_message("guest@example.org", "Thank you for your order", "Hello Gail", kind="order_confirmation")
    db.session.commit()
    return order


def test_an_admin_exports_a_guests_data_by_email_and_it_is_audited(app, client):
    order = guest_with_an_order()
    signed_in(client)
    page = client.get("/admin/data-requests", query_string={"email": " Guest@Example.org "}).get_data(as_text=True)
    assert "Kept about guest@example.org" in page and "Orders: 1" in page
    answer = post(client, "/admin/data-requests/export", {"email": "guest@example.org"})
    assert answer.status_code == 200 and "attachment" in answer.headers["Content-Disposition"]
    data = json.loads(answer.get_data(as_text=True))
    assert data["profile"] is None and [o["number"] for o in data["orders"]] == [order.number]
    assert data["addresses_used"][0]["line1"] == "4 Quay Street"
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "account.export")) is not None
    assert "Exported personal data" in client.get("/admin/audit").get_data(as_text=True)


def test_an_admin_erases_a_guest_after_confirming(app, client):
    order = guest_with_an_order()
    admin = signed_in(client)
    first = post(client, "/admin/data-requests/erase", {"email": "guest@example.org"})
    assert first.status_code == 200 and "Erase the personal data of guest@example.org?" in first.get_data(as_text=True)
    assert "guest@example.org" in everything_stored()  # nothing before the confirmation

    done = post(client, "/admin/data-requests/erase", {"email": "guest@example.org", "confirm": "yes"})
    assert done.status_code == 303
    stored = everything_stored()
    for trace in ("guest@example.org", "gail guest", "4 quay street"):
        assert trace not in stored, trace
    kept = db.session.get(Order, order.id)
    assert kept.total_pence == 1500 and kept.paid_at is not None
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "account.erase"))
    assert entry.actor_id == admin.id and "in the back office" in entry.summary


def test_bad_or_empty_requests_are_refused_plainly(app, client):
    admin = signed_in(client)
    assert client.get("/admin/data-requests", query_string={"email": "not an email"}).status_code == 400
    assert post(client, "/admin/data-requests/export", {"email": ""}).status_code == 400
    nobody = post(client, "/admin/data-requests/erase", {"email": "nobody@example.org", "confirm": "yes"})
    assert nobody.status_code == 409 and "Nothing is kept about nobody@example.org" in nobody.get_data(as_text=True)
    other_admin = make.user("second.admin@example.com", role="admin")
    refused = post(client, "/admin/data-requests/erase", {"email": other_admin.email, "confirm": "yes"})
    assert refused.status_code == 409 and "command line" in refused.get_data(as_text=True)
    assert admin.email in everything_stored()


def test_only_admins_past_the_second_factor_reach_data_requests(app, client):
    signed_in(client, role="customer")
    assert client.get("/admin/data-requests").status_code == 403
