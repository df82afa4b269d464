"""Inviting staff to a clinic by email, and joining it from the link.

The link carries a signed token: the invitation's id and a random secret, of which only the hash is
stored. The signature turns away a mangled link without a lookup; the stored hash and the
invitation's state make the link expire (`expires_at`, read against `now`), work once (accepted) and
die when the owner revokes it or sends a new one. Accepting is one conditional update, so two tabs
or two people racing with the same link cannot both join.
"""
import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app, render_template, url_for
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from shop.accounts.models import User
from shop.accounts.passwords import password_problem
from shop.accounts.services import AccountError, normalise_email
from shop.accounts.tokens import BadLink, make_token, read_token
from shop.audit.services import record_audit
from shop.clinics.models import CLINIC_ROLES, ClinicInvitation, ClinicMember
from shop.clinics.services import ClinicError, owner_membership, who
from shop.clock import utcnow
from shop.extensions import db
from shop.messages.outbox import record_message

INVITE = "clinic-invitation"


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def invite(owner: User, email: str, role: str = "buyer", *, now: datetime | None = None) -> ClinicInvitation:
    """Record the invitation and its email. A second invitation to the same address replaces the first,
    whose link stops working."""
    now = now or utcnow()
    membership = owner_membership(owner)
    clinic = membership.clinic
    try:
        email = normalise_email(email)
    except AccountError as error:
        raise ClinicError(str(error), "email") from None
    if role not in CLINIC_ROLES:
        raise ClinicError("Choose owner or buyer.", "role")
    if any(m.user.email == email for m in clinic.members):
        raise ClinicError(f"{email} is already in {clinic.name}.", "email")
    db.session.execute(update(ClinicInvitation).where(
        ClinicInvitation.clinic_id == clinic.id, ClinicInvitation.email == email,
        ClinicInvitation.accepted_at.is_(None), ClinicInvitation.revoked_at.is_(None)).values(revoked_at=now)
        .execution_options(synchronize_session=False))
    secret = secrets.token_urlsafe(32)
    days = current_app.config["CLINIC_INVITATION_DAYS"]
    invitation = ClinicInvitation(clinic_id=clinic.id, email=email, role=role, token_hash=_hash(secret),
                                  invited_by_id=owner.id, created_at=now, expires_at=now + timedelta(days=days))
    db.session.add(invitation)
    db.session.flush()
    link = url_for("clinics.join", token=make_token(INVITE, {"id": invitation.id, "key": secret}), _external=True)
    text = render_template("email/clinics/invitation.txt", clinic=clinic, inviter=who(owner), role=role, link=link,
                           days=days, has_account=db.session.scalar(select(User.id).where(User.email == email)) is not None)
    record_message(email, f"{who(owner)} invites you to order for {clinic.name}", text, kind="clinic_invitation",
                   about=invitation, now=now)
    record_audit(owner, "clinic.invite", invitation, {}, {"email": email, "role": role},
                 summary=f"invited {email} to {clinic.name} as {role}")
    db.session.commit()
    return invitation


def revoke(owner: User, invitation_id: int, *, now: datetime | None = None) -> ClinicInvitation:
    clinic_id = owner_membership(owner).clinic_id
    invitation = db.session.scalar(select(ClinicInvitation).where(
        ClinicInvitation.id == invitation_id, ClinicInvitation.clinic_id == clinic_id))
    if invitation is None:
        raise LookupError(invitation_id)
    if invitation.accepted_at is not None:
        raise ClinicError(f"{invitation.email} has already joined; remove them from the team instead.")
    if invitation.revoked_at is None:
        invitation.revoked_at = now or utcnow()
        record_audit(owner, "clinic.invite_revoke", invitation, {"status": "invited"}, {"status": "revoked"},
                     summary=f"{invitation.email}")
        db.session.commit()
    return invitation


def pending_invitations(clinic_id: int, now: datetime) -> list[ClinicInvitation]:
    return db.session.scalars(select(ClinicInvitation).where(
        ClinicInvitation.clinic_id == clinic_id, ClinicInvitation.accepted_at.is_(None),
        ClinicInvitation.revoked_at.is_(None), ClinicInvitation.expires_at > now)
        .order_by(ClinicInvitation.created_at.desc(), ClinicInvitation.id.desc())).all()


# --- following the link -----------------------------------------------------------------------

@dataclass
class Opened:
    """An invitation that may be accepted, and what the page should offer the person who opened it."""

    invitation: ClinicInvitation
    existing: User | None  # an account with the invited email (sign in to join), or None (choose a password)


def open_invitation(token: str, *, now: datetime | None = None) -> Opened:
    """The invitation behind a link, or BadLink saying plainly why it no longer works."""
    now = now or utcnow()
    # The expiry that counts is the stored one; the signature's own age check only stops absurdly old links.
    payload = read_token(INVITE, token, max_age=365 * 24 * 3600)
    invitation = db.session.get(ClinicInvitation, payload.get("id")) if isinstance(payload.get("id"), int) else None
    if invitation is None or not secrets.compare_digest(invitation.token_hash, _hash(str(payload.get("key", "")))):
        raise BadLink("That invitation link is not valid. Please use the newest invitation you were sent.")
    if invitation.accepted_at is not None:
        raise BadLink("That invitation has already been used. Sign in to order for the clinic.")
    if invitation.revoked_at is not None:
        raise BadLink("That invitation was withdrawn or replaced by a newer one. Ask the clinic's owner to invite you again.")
    if now >= invitation.expires_at:
        raise BadLink("That invitation has expired. Ask the clinic's owner to send you a new one.")
    existing = db.session.scalar(select(User).where(User.email == invitation.email))
    return Opened(invitation, existing)


def check_joiner(invitation: ClinicInvitation, user: User) -> None:
    """Refuse, with the reason, a signed-in person who may not take this invitation."""
    if user.email != invitation.email:
        raise ClinicError(f"This invitation is for {invitation.email}, but you're signed in as {user.email}. "
                          "Sign out, then open the link again and sign in (or set a password) as "
                          f"{invitation.email}.")
    current = user.clinic_membership
    if current is not None and current.clinic_id == invitation.clinic_id:
        raise ClinicError(f"You're already in {current.clinic.name}.")
    if current is not None:
        raise ClinicError(f"You already belong to {current.clinic.name}, and a person can order for one clinic only. "
                          f"Ask its owner to remove you first, then open this link again.")


def accept(token: str, user: User, *, now: datetime | None = None) -> ClinicMember:
    """A signed-in person joins with the invitation's role; the link is spent in the same transaction."""
    now = now or utcnow()
    invitation = open_invitation(token, now=now).invitation
    check_joiner(invitation, user)
    return _join(invitation, user, now)


def join_with_new_account(token: str, password: str, name: str = "", *, now: datetime | None = None) -> User:
    """Someone without an account sets a password from the invitation: the email link proves the inbox,
    so the account is confirmed at once."""
    now = now or utcnow()
    opened = open_invitation(token, now=now)
    if opened.existing is not None:
        raise ClinicError(f"There is already an account for {opened.invitation.email}: sign in to join.")
    problem = password_problem(password, opened.invitation.email)
    if problem:
        raise ClinicError(problem, "password")
    user = User(email=opened.invitation.email, name=" ".join((name or "").split())[:120], role="customer",
                email_verified_at=now)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    _join(opened.invitation, user, now)
    return user


def _join(invitation: ClinicInvitation, user: User, now: datetime) -> ClinicMember:
    spent = db.session.execute(update(ClinicInvitation).where(
        ClinicInvitation.id == invitation.id, ClinicInvitation.accepted_at.is_(None),
        ClinicInvitation.revoked_at.is_(None)).values(accepted_at=now).execution_options(synchronize_session=False)).rowcount
    if not spent:
        db.session.rollback()
        raise BadLink("That invitation has already been used. Sign in to order for the clinic.")
    member = ClinicMember(clinic_id=invitation.clinic_id, user_id=user.id, role=invitation.role, joined_at=now)
    db.session.add(member)
    try:
        db.session.flush()
    except IntegrityError:  # they joined another clinic a moment ago, in another tab
        db.session.rollback()
        raise ClinicError("You already belong to a clinic, and a person can order for one clinic only.") from None
    record_audit(user, "clinic.join", member, {}, {"email": user.email, "role": invitation.role},
                 summary=f"{user.email} joined {invitation.clinic.name} as {invitation.role}")
    db.session.commit()
    db.session.refresh(user)
    return member
