"""Password rules (long enough, not one attackers try first) and how passwords are hashed."""
from functools import lru_cache

from flask import current_app, has_app_context
from werkzeug.security import check_password_hash, generate_password_hash

# Production always hashes with scrypt (ProductionConfig refuses anything else). The tests set
# a cheap method: hundreds of sign-ups at scrypt's cost were an eighth of the suite's time.
# A stored hash names its own method, so hashes made under one setting verify under any other.
DEFAULT_HASH_METHOD = "scrypt"

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 200  # scrypt on a megabyte of "password" is a denial of service


def _hash_method() -> str:
    return current_app.config.get("PASSWORD_HASH_METHOD", DEFAULT_HASH_METHOD) if has_app_context() else DEFAULT_HASH_METHOD


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=_hash_method())


def verify_password(password_hash: str, password: str) -> bool:
    return check_password_hash(password_hash, password)


@lru_cache(maxsize=4)
def _decoy_hash(method: str) -> str:
    return generate_password_hash("not-a-real-password", method=method)


def spend_time_as_if_checking(password: str) -> None:
    """Check against a decoy hash, so an unknown email takes as long to refuse as a wrong password."""
    check_password_hash(_decoy_hash(_hash_method()), password)


@lru_cache(maxsize=1)
def _common_passwords() -> frozenset[str]:
    # zxcvbn ships the 30,000 most common leaked passwords; we use its list, not its estimator.
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


def password_problem(password: str, email: str = "") -> str | None:
    """Why this password is refused, or None when it is acceptable."""
    password = password or ""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"Choose a password of at least {MIN_PASSWORD_LENGTH} characters."
    if len(password) > MAX_PASSWORD_LENGTH:
        return f"Choose a password of at most {MAX_PASSWORD_LENGTH} characters."
    lowered = password.lower()
    if lowered in _common_passwords() or len(set(lowered)) < 4:
        return "That password is too common and easy to guess. Try a few unrelated words together."
    local = email.partition("@")[0].lower()
    if local and len(local) >= 4 and local in lowered:
        return "Your password shouldn't contain your email address."
    return None
