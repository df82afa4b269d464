"""A demo clinic on 30-day payment terms, so `make run` shows pay on account: its owner and a buyer
sign in with DEMO_CLINIC_PASSWORD (development data only; seed-demo loads it into a store without it)."""
from sqlalchemy import select

from shop.accounts.models import TradeAccount, User
from shop.clinics.models import ClinicMember
from shop.clinics.services import open_clinic
from shop.clock import utcnow
from shop.extensions import db
from shop.invoicing.models import PaymentTerms

OWNER_EMAIL = "owner@harbour-physio.example"
BUYER_EMAIL = "buyer@harbour-physio.example"
DEMO_CLINIC_PASSWORD = "harbour demo clinic"


def load_demo_clinic() -> bool:
    """Harbour Physio (Leeds), approved, on 30-day terms with £2,000 of credit; False if it is there already."""
    if db.session.scalar(select(User.id).where(User.email == OWNER_EMAIL)) is not None:
        return False
    now = utcnow()
    owner = User(email=OWNER_EMAIL, role="practitioner", name="Olive Harbour", email_verified_at=now)
    buyer = User(email=BUYER_EMAIL, role="customer", name="Ben Buyer", email_verified_at=now)
    for user in (owner, buyer):
        user.set_password(DEMO_CLINIC_PASSWORD)
    owner.trade_account = TradeAccount(clinic_name="Harbour Physio", profession="physiotherapist", professional_body="HCPC",
                                       registration_number="PH000001", address_line1="3 Quay Street", city="Leeds",
                                       postcode="LS1 4AB", phone="0113 496 0000", status="approved", decided_at=now)
    db.session.add_all([owner, buyer])
    db.session.flush()
    clinic = open_clinic(owner.trade_account)
    clinic.members.append(ClinicMember(user=buyer, role="buyer"))
    db.session.add(PaymentTerms(clinic_id=clinic.id, days=30, credit_limit_pence=200_000))
    db.session.commit()
    return True
