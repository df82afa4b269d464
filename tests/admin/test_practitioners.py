"""Practitioner applications: review, approve, reject with a reason, suspend; each emailed and audited."""
from sqlalchemy import select

from shop.accounts.models import TradeAccount, User
from shop.audit.models import AuditEntry
from shop.extensions import db
from tests import factories as make
from tests.admin.support import post, signed_in
from tests.helpers import email_subjects, email_text, outbox


def account_of(user) -> TradeAccount:
    db.session.expire_all()
    return db.session.scalar(select(TradeAccount).where(TradeAccount.user_id == user.id))


def test_review_and_approve_an_application(app, client):
    signed_in(client)
    jo = make.user("jo@clinic.example", trade_status="pending", clinic_name="Harbour Physio")
    listing = client.get("/admin/practitioners?status=pending").get_data(as_text=True)
    assert "Harbour Physio" in listing and "jo@clinic.example" in listing
    account = account_of(jo)
    page = client.get(f"/admin/practitioners/{account.id}").get_data(as_text=True)
    assert account.registration_number in page and "HCPC" in page

    assert post(client, f"/admin/practitioners/{account.id}/approve").status_code == 303
    assert account_of(jo).status == "approved"
    assert db.session.get(User, jo.id).role == "practitioner"
    assert email_subjects(app) == [("jo@clinic.example", "Your trade account is open")]
    entry = db.session.scalars(select(AuditEntry)).one()
    assert entry.action == "trade.approve" and '"status": "pending"' in entry.before_json and '"status": "approved"' in entry.after_json


def test_reject_needs_a_reason_and_a_confirmation_and_tells_the_applicant(app, client):
    signed_in(client)
    jo = make.user("jo@clinic.example", trade_status="pending")
    url = f"/admin/practitioners/{account_of(jo).id}"
    assert post(client, url + "/reject", {"reason": ""}, url).status_code == 422
    ask = post(client, url + "/reject", {"reason": "We could not find that HCPC number."}, url)
    assert ask.status_code == 200 and "Reject the application" in ask.get_data(as_text=True)
    assert account_of(jo).status == "pending" and outbox(app) == []
    assert post(client, url + "/reject", {"reason": "We could not find that HCPC number.", "confirm": "yes"}, url).status_code == 303
    assert account_of(jo).status == "rejected"
    assert "We could not find that HCPC number." in email_text(outbox(app)[0])


def test_suspending_an_approved_account_stops_trade_prices(app, client):
    signed_in(client)
    jo = make.user("jo@clinic.example", trade_status="approved")
    url = f"/admin/practitioners/{account_of(jo).id}"
    assert post(client, url + "/suspend", {"reason": "Registration lapsed.", "confirm": "yes"}, url).status_code == 303
    account = account_of(jo)
    assert account.status == "suspended" and account.decision_reason == "Registration lapsed."
    assert db.session.get(User, jo.id).role == "customer" and not db.session.get(User, jo.id).is_trade
    assert email_subjects(app) == [("jo@clinic.example", "Your trade account is suspended")]
    again = post(client, url + "/suspend", {"reason": "x", "confirm": "yes"}, url)
    assert again.status_code == 409
    audit = client.get("/admin/audit").get_data(as_text=True)
    assert "trade.suspend" in audit and "approved → suspended" in audit


def test_the_clinics_patient_discount_is_set_here_within_limits(app, client):
    signed_in(client)
    jo = make.user("jo@clinic.example", trade_status="approved")
    url = f"/admin/practitioners/{account_of(jo).id}"
    for bad in ("51", "-5", "ten", ""):
        response = post(client, url + "/discount", {"percent": bad}, url)
        assert response.status_code == 422, bad
    assert account_of(jo).patient_discount_percent == 0
    assert post(client, url + "/discount", {"percent": "15"}, url).status_code == 303
    assert account_of(jo).patient_discount_percent == 15
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "trade.discount")).one()
    assert (entry.before_json, entry.after_json) == ('{"patient_discount_percent": 0}', '{"patient_discount_percent": 15}')
