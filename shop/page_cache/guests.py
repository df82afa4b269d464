"""A guest known as one without loading flask-login's user machinery (a cached page's hit is mostly guests).

flask-login's look for the user (current_user) sends a signal, hashes the visitor's address and
browser for its session protection, and only then finds no user id in the session and no remember
cookie. Where that look would find no one and change nothing, the answer is known from the
session and the cookies alone. Anything else goes the usual way, so a remember cookie still
signs its visitor in, and session protection still marks a session not fresh (it writes the session,
once) or clears it:

- no user id in the session (read with `get`, as flask-login does, so the answer still varies by cookie);
- no remember cookie;
- no request or header loader, and no one listening to flask-login's signals;
- nothing session protection would write: it is off, or the session is empty, or already marked
  not fresh where only that would be done to it ("basic" mode, or a permanent session).
"""
from flask import current_app, request, session
from flask_login.config import COOKIE_NAME
from flask_login.signals import session_protected, user_accessed


def plainly_a_guest() -> bool:
    manager = current_app.login_manager
    if manager._request_callback or manager._header_callback or user_accessed.receivers or session_protected.receivers:
        return False
    if session.get("_user_id") is not None:
        return False
    config = current_app.config
    if config.get("REMEMBER_COOKIE_NAME", COOKIE_NAME) in request.cookies:
        return False
    protection = config.get("SESSION_PROTECTION", manager.session_protection)
    if protection not in ("basic", "strong") or not session:
        return True
    return (protection == "basic" or session.permanent) and session.get("_fresh") is False
