"""An approval opens the practitioner's clinic; the clinic's trade account decides trade prices for all its members."""
from shop.accounts.services import decide_trade
from shop.accounts.backoffice import suspend_trade
from shop.clinics.models import Clinic, ClinicMember
from shop.extensions import db
from shop.reorder.services import Wanted, save_to_supplies, supplies_of
from tests import factories as make
from tests.factories import PASSWORD
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
