"""A person's clinic data: in their download, and gone (or unnamed) when they erase their account; the clinic's
pages closed to everyone outside it."""
import json

from sqlalchemy import select

from shop.accounts.models import SupplyItem
from shop.clinics.models import Clinic, ClinicAddress, ClinicInvitation, ClinicMember, SpendingApproval
from shop.clinics.services import add_site
from shop.extensions import db
from shop.my_account.personal_data import erase_personal_data, personal_data
from shop.orders.models import Order
from tests import factories as make
from tests.factories import PASSWORD
from tests.helpers import csrf_token, sign_in


def clinic_with_history(jo, sam, oil):
    order = make.paid_order(sam, [(oil.variants[0], 1)], pricing="trade")
    order.clinic_id = jo.clinic.id
    db.session.add_all([
        ClinicInvitation(clinic_id=jo.clinic.id, email="kim@harbour.example", token_hash="a" * 64, invited_by_id=jo.id,
                         expires_at=order.created_at),
        SpendingApproval(clinic_id=jo.clinic.id, buyer_id=sam.id, status="declined", decided_by_id=jo.id, total_pence=9000,
                         spent_pence=0, limit_pence=5000, cart_json=json.dumps({"lines": [{"variant_id": oil.variants[0].id, "quantity": 9}]})),
        SupplyItem(clinic_id=jo.clinic.id, variant_id=oil.variants[0].id, quantity=3),
    ])
    db.session.commit()
    add_site(jo, site_name="Leeds", recipient="Harbour", line1="4 Wharf Street", line2="", city="Leeds", postcode="LS2 7EP")
    return order


def test_a_buyers_download_has_their_place_in_the_clinic_and_erasing_them_keeps_the_clinics_order(app, jo, sam, oil):
    order = clinic_with_history(jo, sam, oil)
    data = personal_data("sam@harbour.example")["clinic"]
    assert data["membership"]["clinic"] == "Harbour Physio" and data["membership"]["monthly_limit_pence"] == 5000
    assert [(a["total_pence"], a["status"]) for a in data["approvals_asked"]] == [(9000, "declined")]

    erase_personal_data("sam@harbour.example", actor=None, asked_by="test")
    assert db.session.scalars(select(ClinicMember.user_id)).all() == [jo.id]
    assert db.session.scalars(select(SpendingApproval)).all() == []
    kept = db.session.get(Order, order.id)
    assert kept.clinic_id == jo.clinic.id and kept.user_id is None  # still the clinic's, no longer naming Sam
    assert db.session.scalars(select(SupplyItem.clinic_id)).all() == [jo.clinic.id]


def test_an_owner_who_erases_their_account_closes_the_clinic_with_nothing_left_behind(app, jo, sam, oil):
    order = clinic_with_history(jo, sam, oil)
    erase_personal_data("jo@harbour.example", actor=None, asked_by="test")
    for model in (Clinic, ClinicMember, ClinicInvitation, ClinicAddress, SpendingApproval, SupplyItem):
        assert db.session.scalars(select(model)).all() == [], model.__name__
    assert db.session.get(Order, order.id).clinic_id is None  # the order stays for the tax records


def test_another_clinics_owner_reaches_none_of_its_members_invitations_sites_or_approvals(app, jo, sam, oil):
    clinic_with_history(jo, sam, oil)
    member_id = db.session.scalar(select(ClinicMember.id).where(ClinicMember.user_id == sam.id))
    ids = {"member_id": member_id, "invitation_id": 1, "site_id": 1, "approval_id": 1, "token": "x"}
    make.user("lee@riverside.example", trade_status="approved")
    client = app.test_client()
    sign_in(client, "lee@riverside.example", PASSWORD)
    token = csrf_token(client)
    checked = 0
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("clinics.") or rule.endpoint == "clinics.join" or not rule.arguments:
            continue
        url = rule.build({name: ids[name] for name in rule.arguments}, append_unknown=False)[1]
        for method in sorted(rule.methods & {"GET", "POST"}):
            answer = client.get(url) if method == "GET" else client.post(url, data={"csrf_token": token, "role": "owner"})
            assert answer.status_code in (400, 403, 404), (method, url, answer.status_code)
            checked += 1
    assert checked >= 9
    assert "Harbour Physio" not in client.get("/account/clinic").get_data(as_text=True)  # their own clinic's page
    assert db.session.scalar(select(ClinicMember.role).where(ClinicMember.id == member_id)) == "buyer"
    assert db.session.scalars(select(ClinicAddress.site_name)).all() == ["Leeds"]


def test_the_demo_clinic_has_an_owner_a_buyer_with_a_limit_and_two_sites(app):
    from shop.demo.clinic import BUYER, OWNER, load_demo_clinic

    assert load_demo_clinic() and not load_demo_clinic()  # once
    clinic = db.session.scalars(select(Clinic)).one()
    assert clinic.is_approved and [(m.user.email, m.role, m.monthly_limit_pence) for m in clinic.members] == [
        (OWNER, "owner", None), (BUYER, "buyer", 15000)]
    assert [a.site_name for a in clinic.addresses] == ["Leeds clinic", "York clinic"]
