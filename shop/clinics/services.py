"""Opening a clinic when its trade account is approved, and finding a person's clinic."""
from sqlalchemy import select

from shop.accounts.models import TradeAccount, User
from shop.clinics.models import Clinic, ClinicMember
from shop.extensions import db


def open_clinic(account: TradeAccount) -> Clinic:
    """The clinic of an approved application, with its applicant as owner; the same clinic again
    when it is approved a second time (after a suspension). Does not commit: it is part of the
    approval's transaction."""
    clinic = db.session.scalar(select(Clinic).where(Clinic.trade_account_id == account.id))
    if clinic is None:
        clinic = Clinic(trade_account=account, name=account.clinic_name)
        db.session.add(clinic)
    user = account.user
    if user.clinic_membership is None:
        clinic.members.append(ClinicMember(user=user, role="owner"))
    db.session.flush()
    return clinic


def clinic_of(user: User) -> Clinic | None:
    membership = getattr(user, "clinic_membership", None)
    return membership.clinic if membership is not None else None
