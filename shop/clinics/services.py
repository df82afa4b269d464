"""Opening a clinic, finding a person's clinic, and the owner's changes to its team and sites.

Every change an owner makes is written to the audit log in the same transaction, so the back
office can say who in the clinic changed what.
"""
from sqlalchemy import func, select, update

from shop.accounts.models import SupplyItem, TradeAccount, User
from shop.audit.services import record_audit
from shop.clinics.models import CLINIC_ROLES, Clinic, ClinicAddress, ClinicMember, SpendingApproval
from shop.clock import utcnow
from shop.extensions import db
from shop.postcodes import PostcodeError, normalise_postcode


class ClinicError(ValueError):
    """Refused, with a message for the person; `field` names the form field it is about, if one."""

    def __init__(self, message: str = "", field: str = ""):
        super().__init__(message)
        self.field = field


class NotOwner(PermissionError):
    """Only an owner may change the clinic's team, limits, sites and terms."""


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
        # The applicant's own supplies list becomes the clinic's (as migration 0021 did for owners then): a
        # member sees the clinic's list, and would otherwise lose sight of theirs the moment they were approved.
        taken = select(SupplyItem.variant_id).where(SupplyItem.clinic_id == clinic.id)
        db.session.execute(update(SupplyItem).where(SupplyItem.user_id == user.id, SupplyItem.variant_id.not_in(taken))
                           .values(clinic_id=clinic.id, user_id=None).execution_options(synchronize_session=False))
    db.session.flush()
    return clinic


def is_owner(user) -> bool:
    membership = getattr(user, "clinic_membership", None) if getattr(user, "is_authenticated", False) else None
    return membership is not None and membership.is_owner


def owner_membership(user: User) -> ClinicMember:
    """The signed-in person's membership when they own their clinic; NotOwner otherwise (buyers, everyone else)."""
    if not is_owner(user):
        raise NotOwner()
    return user.clinic_membership


def member_snapshot(member: ClinicMember) -> dict:
    """What the audit log keeps of a member."""
    return {"email": member.user.email, "role": member.role, "monthly_limit_pence": member.monthly_limit_pence}


def who(user: User | None) -> str:
    """How the clinic's pages name a person: their name, or their email."""
    if user is None:
        return "a former member"
    return user.name or user.email


# --- the owner's changes to the team ----------------------------------------------------------

def _member_of(owner: User, member_id: int) -> ClinicMember:
    """A member of the owner's own clinic; another clinic's member is not found (the view answers 404)."""
    clinic_id = owner_membership(owner).clinic_id
    member = db.session.scalar(select(ClinicMember).where(ClinicMember.id == member_id, ClinicMember.clinic_id == clinic_id))
    if member is None:
        raise LookupError(member_id)
    return member


def _owners_left(clinic_id: int, without: int) -> int:
    return db.session.scalar(select(func.count()).select_from(ClinicMember).where(
        ClinicMember.clinic_id == clinic_id, ClinicMember.role == "owner", ClinicMember.id != without))


def change_member(owner: User, member_id: int, *, role: str, monthly_limit_pence: int | None) -> ClinicMember:
    """Set a member's role and (for a buyer) monthly limit. The clinic always keeps an owner."""
    member = _member_of(owner, member_id)
    if role not in CLINIC_ROLES:
        raise ClinicError("Choose owner or buyer.", "role")
    if monthly_limit_pence is not None and not 0 <= monthly_limit_pence <= 100_000_000:
        raise ClinicError("Give the monthly limit in pounds, from £0 to £1,000,000, or leave it empty for no limit.", "monthly_limit")
    if member.is_owner and role != "owner" and not _owners_left(member.clinic_id, member.id):
        raise ClinicError("The clinic needs an owner: make someone else an owner first.", "role")
    before = member_snapshot(member)
    member.role = role
    member.monthly_limit_pence = monthly_limit_pence if role == "buyer" else None
    record_audit(owner, "clinic.member", member, before, member_snapshot(member),
                 summary=f"{member.user.email} in {member.clinic.name}")
    db.session.commit()
    return member


def remove_member(owner: User, member_id: int) -> str:
    """Take someone out of the clinic: from their next request they see no trade prices and none of its data.
    Their approvals still waiting are withdrawn. Returns who was removed, for the message."""
    member = _member_of(owner, member_id)
    if member.user_id == owner.id:
        raise ClinicError("You can't remove yourself. Another owner can, once there is one.")
    if member.is_owner and not _owners_left(member.clinic_id, member.id):
        raise ClinicError("The clinic needs an owner.")
    name, clinic = who(member.user), member.clinic
    db.session.execute(update(SpendingApproval).where(
        SpendingApproval.buyer_id == member.user_id, SpendingApproval.clinic_id == clinic.id,
        SpendingApproval.status == "waiting").values(status="withdrawn", decided_at=utcnow())
        .execution_options(synchronize_session=False))
    record_audit(owner, "clinic.remove", member, member_snapshot(member), {},
                 summary=f"removed {member.user.email} from {clinic.name}")
    db.session.delete(member)
    db.session.commit()
    return name


# --- the clinic's sites -----------------------------------------------------------------------

def add_site(owner: User, *, site_name: str, recipient: str, line1: str, line2: str, city: str, postcode: str) -> ClinicAddress:
    clinic = owner_membership(owner).clinic
    fields = {"site_name": site_name, "recipient": recipient, "line1": line1, "line2": line2, "city": city}
    fields = {k: " ".join((v or "").split()) for k, v in fields.items()}
    for key, label in (("site_name", "name of the site"), ("recipient", "name to deliver to"), ("line1", "address"),
                       ("city", "town or city")):
        if not fields[key]:
            raise ClinicError(f"Enter the {label}.", key)
    try:
        fields["postcode"] = normalise_postcode(postcode)
    except PostcodeError as error:
        raise ClinicError(str(error), "postcode") from None
    if any(a.site_name.lower() == fields["site_name"].lower() for a in clinic.addresses):
        raise ClinicError(f"There is already a site called “{fields['site_name']}”.", "site_name")
    site = ClinicAddress(clinic_id=clinic.id, **fields)
    clinic.addresses.append(site)
    db.session.flush()
    record_audit(owner, "clinic.site_add", site, {}, {"site": site.site_name, "address": ", ".join(site.lines)},
                 summary=f"{clinic.name}: {site.site_name}")
    db.session.commit()
    return site


def remove_site(owner: User, site_id: int) -> str:
    clinic_id = owner_membership(owner).clinic_id
    site = site_of(clinic_id, site_id)
    if site is None:
        raise LookupError(site_id)
    record_audit(owner, "clinic.site_remove", site, {"site": site.site_name, "address": ", ".join(site.lines)}, {},
                 summary=f"{site.site_name}")
    db.session.delete(site)
    db.session.commit()
    return site.site_name


def site_of(clinic_id: int | None, site_id) -> ClinicAddress | None:
    """One of this clinic's sites; another clinic's is not found."""
    if clinic_id is None or not isinstance(site_id, int):
        return None
    return db.session.scalar(select(ClinicAddress).where(ClinicAddress.id == site_id, ClinicAddress.clinic_id == clinic_id))
