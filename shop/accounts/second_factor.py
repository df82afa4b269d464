"""The second factor: a time-based one-time code (TOTP) from an authenticator app, or a recovery code.

Admins must pass it to use the back office; practitioners and customers may opt in. A secret is
pending until the first code made from it is typed back. Each accepted code's time-step is stored
and only a later step is accepted after it, so an overheard code cannot be replayed. Recovery codes
are hashed like passwords and work once. A lost factor is reset from the command line only.
"""
import hashlib
import hmac
import re
import secrets
from datetime import datetime, timezone

import pyotp
import segno
from flask import current_app
from sqlalchemy import delete, func, or_, select, update

from shop.accounts.models import RecoveryCode, User
from shop.accounts.passwords import hash_password, verify_password
from shop.accounts.tokens import BadLink, make_token, read_token
from shop.audit.services import record_audit
from shop.extensions import db

STEP_SECONDS = 30
DRIFT_STEPS = 1  # a phone's clock a little off, or a code typed as it changed
RECOVERY_CODE_COUNT = 10
SETUP = "second-factor-setup"
SETUP_LINK_MAX_AGE_SECONDS = 24 * 3600


class FactorError(ValueError):
    """Refused, with a message for the person."""


def time_step(now: datetime) -> int:
    return int(now.replace(tzinfo=timezone.utc).timestamp()) // STEP_SECONDS


def code_at(secret: str, step: int) -> str:
    """The six digits an authenticator app shows for `secret` during `step` (tests use it too)."""
    return pyotp.TOTP(secret).generate_otp(step)


def _fingerprint(secret: str | None) -> str:
    return hashlib.sha256((secret or "").encode()).hexdigest()[:16]


def begin_setup(user: User) -> str:
    """Give `user` a new pending secret (replacing any pending one); the caller commits."""
    if user.has_second_factor:
        raise FactorError("A second factor is already set up for this account.")
    user.totp_secret = pyotp.random_base32()
    user.totp_last_step = None
    return user.totp_secret


def pending_secret(user: User) -> str:
    """The secret an account's own setup page shows: the pending one, or a new one made and committed."""
    if not user.totp_secret:
        begin_setup(user)
        db.session.commit()
    return user.totp_secret


def setup_token(user: User) -> str:
    """A signed link token for setting up the pending secret; spent once the factor is on or reset."""
    return make_token(SETUP, {"user": user.id, "secret": _fingerprint(user.totp_secret)})


def user_for_setup(token: str) -> User:
    payload = read_token(SETUP, token, SETUP_LINK_MAX_AGE_SECONDS)
    user = db.session.get(User, payload.get("user")) if isinstance(payload.get("user"), int) else None
    if user is None or user.has_second_factor or not user.totp_secret or payload.get("secret") != _fingerprint(user.totp_secret):
        raise BadLink("That setup link has been used or replaced. Ask for a new one from the command line.")
    return user


def qr_svg(user: User) -> str:
    """The QR code an authenticator app scans, as inline SVG made on the server (the secret never leaves it otherwise)."""
    uri = pyotp.TOTP(user.totp_secret).provisioning_uri(name=user.email, issuer_name=current_app.config["STORE_NAME"])
    return segno.make(uri, error="m").svg_inline(scale=4, dark="#1f2d27", title="Set-up code for your authenticator app")


def _digits(code: str) -> str:
    return re.sub(r"[\s-]", "", code or "")


def _totp_ok(user: User, code: str, now: datetime) -> bool:
    if not user.totp_secret or not re.fullmatch(r"\d{6}", code):
        return False
    step = time_step(now)
    for candidate in range(step - DRIFT_STEPS, step + DRIFT_STEPS + 1):
        if hmac.compare_digest(code_at(user.totp_secret, candidate), code):
            # Conditional, so two requests racing with one code cannot both win.
            won = db.session.execute(
                update(User).where(User.id == user.id, or_(User.totp_last_step.is_(None), User.totp_last_step < candidate))
                .values(totp_last_step=candidate)
            ).rowcount
            return won == 1
    return False


def _recovery_ok(user: User, code: str, now: datetime) -> bool:
    code = code.lower()
    if not re.fullmatch(r"[0-9a-f]{10}", code):
        return False
    unused = db.session.scalars(select(RecoveryCode).where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)))
    for saved in unused:
        if verify_password(saved.code_hash, code):
            return db.session.execute(
                update(RecoveryCode).where(RecoveryCode.id == saved.id, RecoveryCode.used_at.is_(None)).values(used_at=now)
            ).rowcount == 1
    return False


def pass_second_factor(user: User, code: str, now: datetime) -> bool:
    """True when `code` is a fresh code from the app or an unused recovery code; commits what it spent."""
    code = _digits(code)
    ok = user.has_second_factor and (_totp_ok(user, code, now) or _recovery_ok(user, code, now))
    db.session.commit()
    return bool(ok)


def _new_recovery_codes(user: User) -> list[str]:
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [secrets.token_hex(5) for _ in range(RECOVERY_CODE_COUNT)]
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=hash_password(code)) for code in codes)
    return [f"{code[:5]}-{code[5:]}" for code in codes]


def finish_setup(user: User, code: str, now: datetime) -> list[str]:
    """Turn the factor on once a code from the pending secret is typed back; the recovery codes, shown once."""
    if user.has_second_factor:
        raise FactorError("A second factor is already set up for this account.")
    if not _totp_ok(user, _digits(code), now):
        db.session.rollback()
        raise FactorError("That code doesn't match. Type the 6 digits your authenticator app shows now.")
    user.second_factor_at = now
    codes = _new_recovery_codes(user)
    record_audit(user, "account.second_factor", user, {"second factor": "off"}, {"second factor": "on"},
                 summary=f"{user.email} set up a second factor")
    db.session.commit()
    return codes


def recovery_codes_left(user: User) -> int:
    return db.session.scalar(select(func.count()).select_from(RecoveryCode)
                             .where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)))


def reset_second_factor(user: User) -> str:
    """From the command line only: forget the factor and its recovery codes, start a new pending secret; a setup token."""
    before = "on" if user.has_second_factor else "off"
    user.second_factor_at = None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    begin_setup(user)
    record_audit(None, "account.second_factor", user, {"second factor": before}, {"second factor": "reset"},
                 summary=f"second factor reset for {user.email}")
    db.session.commit()
    return setup_token(user)
