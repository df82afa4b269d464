"""A demo clinic with an owner and a buyer, on 30-day payment terms, so `make run` shows a clinic's team
and pay on account (signed in with the demo password; development data only)."""
from sqlalchemy import select

from shop.accounts.models import TradeAccount, User
from shop.clinics.models import ClinicAddress, ClinicMember
from shop.clinics.services import open_clinic
from shop.clock import utcnow
from shop.extensions import db
from shop.invoicing.models import PaymentTerms

OWNER = "owner@harbour-physio.example"
BUYER = "buyer@harbour-physio.example"
PASSWORD = "demo clinic password"


def load_demo_clinic() -> bool:
    """Harbour Physio: its owner (approved trade account), a buyer with a £150 monthly limit, two sites,
    and 30-day terms with £2,000 of credit. Does nothing when the owner's account exists."""
    if db.session.scalar(select(User.id).where(User.email == OWNER)) is not None:
        return False
    now = utcnow()
    owner = User(email=OWNER, name="Jo Harbour", role="practitioner", email_verified_at=now)
    buyer = User(email=BUYER, name="Sam Reyes", role="customer", email_verified_at=now)
    for person in (owner, buyer):
        person.set_password(PASSWORD)
    owner.trade_account = TradeAccount(
        clinic_name="Harbour Physio", profession="physiotherapist", professional_body="HCPC",
        registration_number="PH123456", address_line1="4 Wharf Street", city="Leeds", postcode="LS2 7EP",
        phone="0113 496 0000", status="approved", decided_at=now)
    db.session.add_all([owner, buyer])
    db.session.flush()
    clinic = open_clinic(owner.trade_account)
    clinic.members.append(ClinicMember(user=buyer, role="buyer", monthly_limit_pence=15000))
    clinic.addresses += [
        ClinicAddress(site_name="Leeds clinic", recipient="Harbour Physio", line1="4 Wharf Street", city="Leeds",
                      postcode="LS2 7EP"),
        ClinicAddress(site_name="York clinic", recipient="Harbour Physio York", line1="12 Micklegate", city="York",
                      postcode="YO1 6JX"),
    ]
    db.session.add(PaymentTerms(clinic_id=clinic.id, days=30, credit_limit_pence=200_000))
    db.session.commit()
    return True
