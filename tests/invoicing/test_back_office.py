"""The back office: terms and credit limit granted (audited), each clinic's invoices and remaining credit,
and the aged-debt CSV for the accounts."""
import csv
import io
from datetime import timedelta

import pytest

from shop.audit.models import AuditEntry
from shop.clock import utcnow
from shop.extensions import db
from shop.invoicing.backoffice import TermsError, age_band, grant_terms
from shop.invoicing.models import Invoice, PaymentTerms
from tests import factories as make
from tests.admin.support import signed_in as admin_signed_in
from tests.helpers import csrf_token



def invoice(order, clinic, amount, due, status="open", number=None):
    made = Invoice(order_id=order.id, clinic_id=clinic.id, status=status, amount_pence=amount, currency="gbp",
                   terms_days=30, due_at=due, number=number, created_at=due - timedelta(days=30))
    db.session.add(made)
    db.session.commit()
    return made


def test_terms_are_granted_checked_and_audited(app):
    admin = make.user(role="admin")
    owner = make.user(trade_status="approved")
    grant_terms(owner.clinic.id, "30", "1,500.00", actor=admin)
    terms = db.session.query(PaymentTerms).one()
    assert (terms.days, terms.credit_limit_pence) == (30, 150_000)
    entry = db.session.query(AuditEntry).filter_by(action="clinic.terms").one()
    assert "30-day terms, credit limit £1,500.00" in entry.summary
    with pytest.raises(TermsError, match="Choose 7, 14 or 30"):
        grant_terms(owner.clinic.id, "60", "10", actor=admin)
    with pytest.raises(TermsError, match="not an amount of money"):
        grant_terms(owner.clinic.id, "7", "lots", actor=admin)
    grant_terms(owner.clinic.id, "none", "0", actor=admin)
    assert db.session.query(PaymentTerms).one().days is None


def test_the_clinic_page_and_the_aged_debt_csv(app, client):
    now = utcnow()  # the pages age debt from now; the dates below are days away from any band's edge
    admin = admin_signed_in(client)
    owner = make.user(trade_status="approved", clinic_name="Harbour Physio")
    grant_terms(owner.clinic.id, "30", "1000", actor=admin)
    variant = make.product(sizes=((100, 1000, 50),)).variants[0]
    ages = {"current": now + timedelta(days=3), "1-30": now - timedelta(days=10), "31-60": now - timedelta(days=45),
            "over 60": now - timedelta(days=90)}
    for n, due in enumerate(ages.values()):
        invoice(make.paid_order(owner, [(variant, 1)], status="on_account"), owner.clinic, 1000 * (n + 1), due, number=f"INV-{n}")
    invoice(make.paid_order(owner, [(variant, 1)]), owner.clinic, 9999, now - timedelta(days=5), status="paid", number="INV-P")
    assert [age_band(due, now) for due in ages.values()] == list(ages)
    assert age_band(now - timedelta(hours=1), now) == "1-30"  # due an hour ago: a day begun is late

    page = client.get(f"/admin/invoices/clinics/{owner.clinic.id}").get_data(as_text=True)
    assert "Overdue (3)" in page and "Open (1)" in page and "Paid (1)" in page and "£900.00 left" in page
    listing = client.get("/admin/invoices").get_data(as_text=True)
    assert "Harbour Physio" in listing and "£40.00" in listing

    response = client.get("/admin/aged-debt.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert [r["invoice"] for r in rows] == ["INV-3", "INV-2", "INV-1", "INV-0"]  # oldest due first; paid ones left out
    assert rows[0]["clinic"] == "Harbour Physio"

    saved = client.post(f"/admin/invoices/clinics/{owner.clinic.id}/terms",
                        data={"days": "14", "credit_limit": "-5", "csrf_token": csrf_token(client)})
    assert saved.status_code == 422 and db.session.get(PaymentTerms, 1).days == 30
