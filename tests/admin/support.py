"""Signing in as the people the back office cares about, and posting its forms with a real CSRF token."""
from tests import factories as make
from tests.helpers import csrf_token, sign_in


def signed_in(client, role="admin", **fields):
    """A verified user with `role` (or an approved practitioner), signed in on `client`."""
    if role == "practitioner":
        user = make.user(trade_status="approved", **fields)
    else:
        user = make.user(role=role, **fields)
    response = sign_in(client, user.email, make.PASSWORD)
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    return user


def post(client, url, data=None, token_from=None):
    """POST like the browser: with the token from a page this client can see."""
    return client.post(url, data={"csrf_token": csrf_token(client, token_from), **(data or {})})
