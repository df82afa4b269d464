"""The shop's Flask application class: what Flask rebuilt on every request, built once."""
from flask import Flask
from flask.sessions import SecureCookieSessionInterface


class SignedCookieSessions(SecureCookieSessionInterface):
    """Flask's signed-cookie session, its serializer made once per secret key rather than on every
    request (about 6 µs each time: a cached page's hit is a few hundred)."""

    def get_signing_serializer(self, app: Flask):
        keys = (app.secret_key, tuple(app.config.get("SECRET_KEY_FALLBACKS") or ()))
        kept = app.extensions.get("session_serializer")
        if kept is None or kept[0] != keys:
            kept = app.extensions["session_serializer"] = (keys, super().get_signing_serializer(app))
        return kept[1]


class Storefront(Flask):
    session_interface = SignedCookieSessions()
