"""A clinic on payment terms with its members, and orders on account, for the pay-on-account tests."""
from sqlalchemy import select

from shop.clinics.models import ClinicMember
from shop.extensions import db
from shop.invoicing.models import Invoice, PaymentTerms
from shop.orders.models import Order
from tests import factories as make
from tests.helpers import add_to_cart, choose_delivery, csrf_token, sign_in


def clinic_on_terms(days=30, credit_pence=100_000, email=None):
    """The owner of an approved clinic (Leeds, LS1 1AA) with `days`-day terms and a credit limit."""
    owner = make.user(email, trade_status="approved", name="Olive Owner")
    db.session.add(PaymentTerms(clinic_id=owner.clinic.id, days=days, credit_limit_pence=credit_pence))
    db.session.commit()
    return owner


def add_buyer(owner, email=None):
    """A buyer of the owner's clinic. (The clinic team's invitations will make buyers; here they are added.)"""
    buyer = make.user(email, name="Bea Buyer")
    db.session.add(ClinicMember(clinic_id=owner.clinic.id, user_id=buyer.id, role="buyer"))
    db.session.commit()
    return buyer


def signed_in(app, user):
    client = app.test_client()
    response = sign_in(client, user.email, make.PASSWORD)
    assert response.status_code == 303, response.get_data(as_text=True)[-800:]
    return client


def order_on_account(client, variant, quantity=1, **extra):
    add_to_cart(client, variant.id, quantity)
    choose_delivery(client)
    return client.post("/checkout/on-account", data={"csrf_token": csrf_token(client), **extra})


def only_invoice() -> Invoice:
    db.session.expire_all()
    return db.session.scalars(select(Invoice)).one()


def orders() -> list[Order]:
    db.session.expire_all()
    return list(db.session.scalars(select(Order).order_by(Order.id)))
