from sqlalchemy import select

from shop.accounts.models import User
from shop.extensions import db

MIN_PASSWORD_LENGTH = 10


class AccountError(ValueError):
    pass


def normalise_email(email: str) -> str:
    email = (email or "").strip().lower()
    local, _, domain = email.partition("@")
    if not local or "." not in domain or " " in email or len(email) > 254:
        raise AccountError(f"“{email}” is not an email address.")
    return email


def create_admin(email: str, password: str) -> User:
    """Create an admin, or promote an existing account and give it this password."""
    email = normalise_email(email)
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise AccountError(f"The password must be at least {MIN_PASSWORD_LENGTH} characters.")
    user = db.session.scalar(select(User).where(User.email == email))
    if user is None:
        user = User(email=email)
        db.session.add(user)
    user.role = "admin"
    user.set_password(password)
    db.session.commit()
    return user
