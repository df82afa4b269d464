"""An approval opens the practitioner's clinic; the clinic's trade account decides trade prices for all its members."""
import pytest

from shop.accounts.services import AccountError, Application, apply_for_trade, decide_trade
from shop.accounts.backoffice import suspend_trade
from shop.clinics.models import Clinic, ClinicMember
from shop.extensions import db
from shop.reorder.services import Wanted, save_to_supplies, supplies_of
from tests import factories as make
from tests.factories import PASSWORD
from tests.admin.support import post, signed_in
from tests.helpers import sign_in


def test_approving_an_application_opens_a_clinic_owned_by_the_applicant(app):
    jo = make.user("jo@clinic.example", trade_status="pending", clinic_name="Harbour Physio")
    assert jo.clinic is None and not jo.is_trade
    oil = make.product("Grapeseed Oil", sizes=((100, 1000, 20),))
    save_to_supplies(jo, [Wanted(oil.variants[0].id, 4)], max_per_line=99)

    with app.test_request_context():  # the approval email links to the practice catalogue
        decide_trade("jo@clinic.example", approve=True)

    assert jo.clinic.name == "Harbour Physio"
    assert [(m.user.email, m.role) for m in jo.clinic.members] == [("jo@clinic.example", "owner")]
    assert jo.is_trade
    assert [(i.variant_id, i.quantity) for i in supplies_of(jo)] == [(oil.variants[0].id, 4)]  # her list is the clinic's now


def test_reinstating_a_suspended_account_keeps_its_clinic_and_members(app):
    jo = make.user("jo@clinic.example", trade_status="approved")
    clinic = jo.clinic
    sam = make.user("sam@clinic.example")
    clinic.members.append(ClinicMember(user=sam, role="buyer"))
    db.session.commit()

    with app.test_request_context():
        suspend_trade(jo.trade_account.id, "Registration lapsed", actor=None)
        assert not jo.is_trade and not sam.is_trade  # a suspension reaches the clinic's staff too
        decide_trade("jo@clinic.example", approve=True)

    assert db.session.query(Clinic).count() == 1
    assert {m.user.email: m.role for m in jo.clinic.members} == {"jo@clinic.example": "owner", "sam@clinic.example": "buyer"}
    assert sam.is_trade


def test_a_buyer_of_an_approved_clinic_sees_its_trade_prices(app):
    make.product("Grapeseed Oil", slug="grapeseed-oil", sizes=((100, 1000, 20),))  # trade £7.50
    jo = make.user("jo@clinic.example", trade_status="approved")
    sam = make.user("sam@clinic.example")
    jo.clinic.members.append(ClinicMember(user=sam, role="buyer"))
    db.session.commit()
    assert "£7.50" not in app.test_client().get("/products/grapeseed-oil").get_data(as_text=True)
    client = app.test_client()
    sign_in(client, "sam@clinic.example", PASSWORD)
    assert "£7.50" in client.get("/products/grapeseed-oil").get_data(as_text=True)


def test_someone_who_buys_for_another_clinic_is_not_approved_for_their_own(app):
    # Sam applied, then joined Jo's clinic as a buyer: approving would open a clinic Sam could not own.
    jo = make.user("jo@clinic.example", trade_status="approved")
    sam = make.user("sam@clinic.example", trade_status="pending", clinic_name="Sam's Sports Massage")
    jo.clinic.members.append(ClinicMember(user=sam, role="buyer"))
    db.session.commit()
    signed_in(client := app.test_client())
    answer = post(client, f"/admin/practitioners/{sam.trade_account.id}/approve", {})
    assert answer.status_code == 409
    assert f"buys for {jo.clinic.name} now" in answer.get_data(as_text=True)
    db.session.expire_all()
    assert sam.trade_account.status == "pending" and sam.clinic.id == jo.clinic.id
    assert db.session.query(Clinic).count() == 1  # no clinic without an owner


def test_a_clinic_buyer_cannot_apply_for_a_trade_account_of_their_own(app):
    jo = make.user("jo@clinic.example", trade_status="approved")
    sam = make.user("sam@clinic.example")
    jo.clinic.members.append(ClinicMember(user=sam, role="buyer"))
    db.session.commit()
    application = Application(clinic_name="Sam's Sports Massage", profession="physiotherapist", professional_body="HCPC",
                              registration_number="PH12345", address_line1="1 Quay St", city="Leeds", postcode="LS1 1AA",
                              phone="0113 000 0001")
    with pytest.raises(AccountError, match="ask its owner to remove you"):
        apply_for_trade(sam, application)
    assert sam.trade_account is None
