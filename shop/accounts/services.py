"""Accounts: registration, sign-in, email links and trade applications: who a person is.

Nothing here answers differently for a registered and an unknown email: what differs goes
into the email sent to the address, which only its owner reads.
"""
from dataclasses import dataclass

from flask import current_app, render_template, url_for
from sqlalchemy import select

from shop.accounts.models import PROFESSIONS, TradeAccount, User
from shop.accounts.passwords import password_problem, spend_time_as_if_checking
from shop.accounts.tokens import RESET, VERIFY, BadLink, make_token, read_token
from shop.audit.services import record_audit
from shop.clinics.services import open_clinic
from shop.clock import utcnow
from shop.extensions import db
from shop.messages.outbox import record_message
from shop.phones import PhoneError, normalise_phone
from shop.postcodes import PostcodeError, normalise_postcode


class AccountError(ValueError):
    """Refused, with a message for the person; `field` names the form field it is about, if one."""

    def __init__(self, message: str = "", field: str = ""):
        super().__init__(message)
        self.field = field


class NotVerified(Exception):
    """Right password, but the email address is not confirmed yet."""

    def __init__(self, user):
        super().__init__(user.email)
        self.user = user


def normalise_email(email: str) -> str:
    email = (email or "").strip().lower()
    local, _, domain = email.partition("@")
    if not local or "." not in domain or " " in email or len(email) > 254 or domain.startswith(".") or domain.endswith("."):
        raise AccountError(f"“{email[:80]}” is not an email address.", "email")
    return email


def find_user(email: str) -> User | None:
    try:
        email = normalise_email(email)
    except AccountError:
        return None
    return db.session.scalar(select(User).where(User.email == email))


def _mail(to: str, template: str, subject: str, *, about=None, **context) -> None:
    """Record the email in the caller's transaction; the worker sends it after the commit, so a mail
    server hiccup can neither turn into a 500 nor lose it."""
    record_message(to, subject, render_template(f"email/accounts/{template}.txt", **context),
                   kind=f"account_{template}", about=about)


# --- registration and email verification ---------------------------------------------------

def register(email: str, password: str, name: str = "") -> None:
    """Create an unconfirmed account and send the link that confirms it.

    If the email is taken, the owner is told instead; the person registering sees the same page.
    """
    email = normalise_email(email)
    problem = password_problem(password, email)
    if problem:
        raise AccountError(problem, "password")
    existing = db.session.scalar(select(User).where(User.email == email))
    if existing is not None:
        if existing.email_verified:
            _mail(email, "already_registered", "You already have an account", user=existing, about=existing)
        else:
            _record_verification(existing)
        db.session.commit()
        return
    user = User(email=email, name=(name or "").strip()[:120], role="customer")
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    _record_verification(user)
    db.session.commit()


def send_verification(user: User) -> None:
    """Send the confirmation link again (the sign-in page offers it to an unconfirmed account)."""
    _record_verification(user)
    db.session.commit()


def _record_verification(user: User) -> None:
    token = make_token(VERIFY, {"uid": user.id, "email": user.email})
    link = url_for("accounts.verify", token=token, _external=True)
    _mail(user.email, "verify", "Confirm your email address", user=user, link=link, about=user)


def verify_email(token: str) -> User:
    payload = read_token(VERIFY, token, current_app.config["EMAIL_VERIFY_MAX_AGE_SECONDS"])
    user = db.session.get(User, payload.get("uid"))
    if user is None or user.email != payload.get("email"):
        raise BadLink("That link is not valid.")
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
        db.session.commit()
    return user


# --- signing in -----------------------------------------------------------------------------

def authenticate(email: str, password: str) -> User | None:
    """The user whose password this is, or None. Takes as long for an unknown email as a known one."""
    user = find_user(email)
    if user is None:
        spend_time_as_if_checking(password or "")
        return None
    if not user.check_password(password or ""):
        return None
    if not user.email_verified:
        raise NotVerified(user)
    user.last_sign_in_at = utcnow()
    db.session.commit()
    return user


def load_user(user_id: str) -> User | None:
    """Flask-Login's loader: the id carries a password fingerprint, so a new password ends old sessions."""
    raw_id, _, fingerprint = (user_id or "").partition(".")
    if not raw_id.isdigit():
        return None
    user = db.session.get(User, int(raw_id))
    if user is None or user.password_fingerprint != fingerprint:
        return None
    return user


# --- password reset -------------------------------------------------------------------------

def request_password_reset(email: str) -> None:
    user = find_user(email)
    if user is None:
        return
    token = make_token(RESET, {"uid": user.id, "pw": user.password_fingerprint})
    link = url_for("accounts.reset_password", token=token, _external=True)
    minutes = current_app.config["PASSWORD_RESET_MAX_AGE_SECONDS"] // 60
    _mail(user.email, "reset", "Reset your password", user=user, link=link, minutes=minutes, about=user)
    db.session.commit()


def user_for_reset(token: str) -> User:
    payload = read_token(RESET, token, current_app.config["PASSWORD_RESET_MAX_AGE_SECONDS"])
    user = db.session.get(User, payload.get("uid"))
    if user is None or user.password_fingerprint != payload.get("pw"):
        raise BadLink("That link has already been used. Please ask for a new one.")
    return user


def reset_password(token: str, password: str) -> User:
    user = user_for_reset(token)
    problem = password_problem(password, user.email)
    if problem:
        raise AccountError(problem, "password")
    user.set_password(password)
    # Only the owner of the inbox could follow the link: that confirms the address too.
    user.email_verified_at = user.email_verified_at or utcnow()
    _mail(user.email, "password_changed", "Your password was changed", user=user, about=user)
    db.session.commit()
    return user


def create_admin(email: str, password: str) -> User:
    """Create an admin, or promote an existing account and give it this password (from the command line)."""
    email = normalise_email(email)
    problem = password_problem(password, email)
    if problem:
        raise AccountError(problem, "password")
    user = db.session.scalar(select(User).where(User.email == email))
    before = {"role": user.role} if user is not None else {}
    if user is None:
        user = User(email=email)
        db.session.add(user)
    user.role = "admin"
    user.set_password(password)
    user.email_verified_at = user.email_verified_at or utcnow()
    db.session.flush()
    record_audit(None, "account.admin", user, before, {"role": "admin", "password": "new password set"},
                 summary=f"{email} is an admin" if before.get("role") != "admin" else f"new password for {email}")
    db.session.commit()
    return user


# --- trade accounts -------------------------------------------------------------------------

@dataclass
class Application:
    clinic_name: str
    profession: str
    professional_body: str
    registration_number: str
    address_line1: str
    city: str
    postcode: str
    phone: str
    address_line2: str = ""


def trade_snapshot(account: TradeAccount) -> dict:
    """What the audit log keeps of a trade decision."""
    return {"status": account.status, "role": account.user.role, "reason": account.decision_reason}


def apply_for_trade(user: User, application: Application) -> TradeAccount:
    if application.profession not in PROFESSIONS:
        raise AccountError("Choose your profession from the list.", "profession")
    account = user.trade_account
    if account is not None and account.status in ("pending", "approved", "suspended"):
        raise AccountError("You have already applied for a trade account.")
    membership = user.clinic_membership
    if membership is not None and membership.clinic.trade_account_id != getattr(account, "id", None):
        raise AccountError(f"You buy for {membership.clinic.name} already, at its trade prices. To open an account of "
                           f"your own, ask its owner to remove you from the clinic first.")
    fields = {k: (v or "").strip() for k, v in vars(application).items()}
    try:
        fields["postcode"] = normalise_postcode(fields["postcode"])
    except PostcodeError as error:
        raise AccountError(str(error), "postcode") from None
    try:
        fields["phone"] = normalise_phone(fields["phone"])
    except PhoneError as error:
        raise AccountError(str(error), "phone") from None
    if account is None:
        account = TradeAccount(user=user, **fields)
        db.session.add(account)
    else:  # a rejected applicant may apply again with corrected details
        for key, value in fields.items():
            setattr(account, key, value)
        account.applied_at = utcnow()
        account.decided_at = None
        account.decision_reason = ""
    account.status = "pending"
    db.session.flush()
    _mail(user.email, "trade_received", "We have your trade account application", account=account, about=account)
    db.session.commit()
    return account


def decide_trade(email: str, approve: bool, reason: str = "", *, actor=None) -> TradeAccount:
    """Approve or reject a pending (or previously rejected) application, and tell the applicant.

    The audit entry is written in the same transaction; `actor` None is the command line.
    """
    user = find_user(email)
    if user is None or user.trade_account is None:
        raise AccountError(f"No trade account application from {email}.")
    account = user.trade_account
    reason = (reason or "").strip()
    if not approve and not reason:
        raise AccountError("Give a reason for the rejection; the applicant is told it.")
    if approve and account.status == "approved":
        raise AccountError(f"{user.email} is already approved.")
    membership = user.clinic_membership
    if approve and membership is not None and membership.clinic.trade_account_id != account.id:
        # Approving would open a clinic its applicant could not own: a person is in one clinic at a time.
        raise AccountError(f"{user.email} buys for {membership.clinic.name} now, which is another clinic. They must "
                           f"leave it (its owner removes them) before their own account can be approved.")
    before = trade_snapshot(account)
    account.status = "approved" if approve else "rejected"
    account.decision_reason = reason
    account.decided_at = utcnow()
    if approve and user.role == "customer":
        user.role = "practitioner"
    if approve:
        open_clinic(account)
    if not approve and user.role == "practitioner":
        user.role = "customer"
    record_audit(actor, "trade.approve" if approve else "trade.reject", account, before, trade_snapshot(account),
                 summary=f"{'approved' if approve else 'rejected'} {user.email} ({account.clinic_name})")
    template = "trade_approved" if approve else "trade_rejected"
    subject = "Your trade account is open" if approve else "About your trade account application"
    _mail(user.email, template, subject, account=account, about=account,
          link=url_for("catalog.products", use="practice", _external=True))
    db.session.commit()
    return account
