"""Discount codes in the back office: created and edited with the second factor, audited, reported with a CSV."""
from sqlalchemy import select

from shop.audit.models import AuditEntry
from shop.extensions import db
from shop.offers.models import DiscountCode, DiscountUse
from tests import factories as make
from tests.admin.support import post, signed_in

FORM = {"code": " summer 20 ", "kind": "percent", "amount": "20", "min_spend": "30", "valid_from": "2026-06-01",
        "valid_until": "2026-08-31", "max_uses": "100", "max_uses_per_customer": "1", "scope": "all", "active": "1"}


def test_an_admin_creates_a_code_and_the_change_is_audited(client):
    admin = signed_in(client)
    response = post(client, "/admin/codes/new", FORM)
    assert response.status_code == 303
    code = db.session.scalars(select(DiscountCode)).one()
    assert (code.code, code.percent_off, code.min_spend_pence, code.max_uses, code.max_uses_per_customer) == ("SUMMER20", 20, 3000, 100, 1)
    assert code.valid_until.isoformat() == "2026-09-01T00:00:00"  # to the end of the last day
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "offers.code_created")).one()
    assert entry.actor_id == admin.id and "SUMMER20" in entry.after_json
    assert post(client, f"/admin/codes/{code.id}", {**FORM, "amount": "25"}).status_code == 303
    edited = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "offers.code_saved")).one()
    assert '"percent_off": 20' in edited.before_json and '"percent_off": 25' in edited.after_json


def test_a_wrong_form_says_what_is_wrong_and_saves_nothing(client):
    signed_in(client)
    response = post(client, "/admin/codes/new", {**FORM, "code": "", "amount": "120", "valid_until": "2026-05-01", "scope": "category"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    for message in ("Enter the code", "Enter a percentage from 1 to 100.", "The last day is before the first.",
                    "Choose the category the code is for."):
        assert message in html
    assert db.session.scalar(select(DiscountCode.id)) is None


def test_customers_cannot_reach_the_codes(client):
    signed_in(client, role="customer")
    assert client.get("/admin/codes").status_code == 403


def test_the_report_counts_paid_uses_revenue_and_discount_and_downloads_as_csv(client):
    signed_in(client)
    oil = make.product("Oil", sizes=((100, 2000, 50),))
    code = DiscountCode(code="TEN", kind="percent", percent_off=10, uses_taken=3)
    db.session.add(code)
    db.session.commit()
    for n, status in enumerate(["used", "used", "reserved"]):
        order = make.paid_order(None, [(oil.variants[0], 1)], email=f"b{n}@example.com")
        order.total_pence, order.refunded_pence = 2295, 500 if n == 1 else 0
        db.session.add(DiscountUse(code_id=code.id, order_id=order.id, email=order.email, discount_pence=200, status=status))
    db.session.commit()
    page = client.get("/admin/codes").get_data(as_text=True)
    assert "TEN" in page and "£40.90" in page and "£4.00" in page  # 2295 + 1795; 2 × 200
    csv = client.get("/admin/codes.csv").get_data(as_text=True)
    assert csv.splitlines()[1] == "TEN,10% off,yes,2,1,40.90,4.00,"
