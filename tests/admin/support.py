"""Signing in as the people the back office cares about, and posting its forms with a real CSRF token."""
import pyotp

from shop.accounts.second_factor import code_at, time_step
from shop.clock import utcnow
from shop.extensions import db
from tests import factories as make
from tests.helpers import csrf_token, sign_in


def with_second_factor(user):
    """Give `user` a second factor that is already on; its secret is returned for making codes."""
    user.totp_secret = pyotp.random_base32()
    user.second_factor_at = utcnow()
    db.session.commit()
    return user.totp_secret


def current_code(user) -> str:
    """The code the user's authenticator app shows now: the same clock the server reads, one step past
    the last one used (within the drift the server allows), so signing the same admin in twice works."""
    db.session.refresh(user)
    step = time_step(utcnow())
    if user.totp_last_step is not None and user.totp_last_step >= step:
        step = user.totp_last_step + 1
    return code_at(user.totp_secret, step)


def pass_code(client, user, code=None):
    return client.post("/account/sign-in/code", data={"csrf_token": csrf_token(client), "code": code or current_code(user)})


def signed_in(client, role="admin", **fields):
    """A verified user with `role` (or an approved practitioner), signed in on `client`; an admin
    with their second factor passed, as the back office requires."""
    if role == "practitioner":
        user = make.user(trade_status="approved", **fields)
    else:
        user = make.user(role=role, **fields)
    if role == "admin":
        with_second_factor(user)
    response = sign_in(client, user.email, make.PASSWORD)
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    if role == "admin":
        response = pass_code(client, user)
        assert response.status_code == 303, response.get_data(as_text=True)[:500]
    return user


def post(client, url, data=None, token_from=None):
    """POST like the browser: with the token from a page this client can see."""
    return client.post(url, data={"csrf_token": csrf_token(client, token_from), **(data or {})})


def pass_code_in_browser(page, user):
    """After the password, type the code the admin's app shows, as they would."""
    page.get_by_label("Code").fill(current_code(user))
    page.locator("main").get_by_role("button", name="Sign in").click()
