"""Signed, expiring links sent by email.

A reset link carries a fingerprint of the password it will replace, so it works once:
after the reset the fingerprint no longer matches. A verification link carries the email
it confirms.
"""
from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

RESET = "password-reset"
VERIFY = "verify-email"


class BadLink(ValueError):
    """The link is tampered with, expired or already used; the message says which to the person."""


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=purpose)


def make_token(purpose: str, payload: dict) -> str:
    return _serializer(purpose).dumps(payload)


def read_token(purpose: str, token: str, max_age: int) -> dict:
    if not token or len(token) > 500:
        raise BadLink("That link is not valid.")
    try:
        payload = _serializer(purpose).loads(token, max_age=max_age)
    except SignatureExpired:
        raise BadLink("That link has expired. Please ask for a new one.") from None
    except BadSignature:
        raise BadLink("That link is not valid. Please use the newest link we sent you.") from None
    if not isinstance(payload, dict):
        raise BadLink("That link is not valid.")
    return payload
