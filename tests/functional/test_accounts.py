"""Registering, confirming, signing in and out, resetting a password: what a person sees."""
import re

import pytest
from itsdangerous import TimestampSigner

from shop.accounts.models import User
from shop.accounts.views import safe_next
from shop.extensions import db
from tests import factories as make
from tests.factories import PASSWORD
from tests.helpers import add_to_cart, email_subjects, links_in_outbox, outbox, page_token, sign_in, tampered


def register(client, email, password=PASSWORD, confirm=None, name="Sam Patel"):
    token = page_token(client, "/account/register")
    return client.post("/account/register", data={
        "email": email, "password": password, "confirm": confirm if confirm is not None else password,
        "name": name, "csrf_token": token,
    })


def user_named(email):
    db.session.expire_all()
    return db.session.query(User).filter_by(email=email).one_or_none()


# --- registration and confirmation ----------------------------------------------------------

def test_registering_sends_a_confirmation_link_that_signs_the_person_in(app, client):
    answer = register(client, "Sam@Example.com")
    assert answer.status_code == 200
    assert "Check your email" in answer.get_data(as_text=True)
    assert user_named("sam@example.com").email_verified is False

    [link] = links_in_outbox(app, "/account/verify/")
    confirmed = client.get(link)
    assert confirmed.status_code == 303 and confirmed.headers["Location"].endswith("/account")
    page = client.get("/account").get_data(as_text=True)
    assert "Your account" in page and "sam@example.com" in page
    assert user_named("sam@example.com").email_verified


def test_an_unconfirmed_account_cannot_sign_in_and_gets_a_fresh_link(app, client):
    register(client, "new@example.com")
    answer = sign_in(client, "new@example.com", PASSWORD)
    assert answer.status_code == 200
    assert "confirm your email address first" in answer.get_data(as_text=True)
    assert len(links_in_outbox(app, "/account/verify/")) == 2
    assert client.get("/account").status_code == 302  # still signed out


@pytest.mark.parametrize("password, message", [
    ("short1", "at least 10 characters"),
    ("password123", "too common"),
    ("qwertyuiop", "too common"),
    ("aaaaaaaaaaaa", "too common"),
])
def test_weak_passwords_are_refused_with_the_reason(app, client, password, message):
    answer = register(client, "weak@example.com", password)
    assert answer.status_code == 400
    assert message in answer.get_data(as_text=True)
    assert user_named("weak@example.com") is None and outbox(app) == []


def test_mismatched_passwords_and_bad_emails_are_refused(app, client):
    assert "don&#39;t match" in register(client, "a@example.com", confirm="something else entirely").get_data(as_text=True)
    answer = register(client, "not-an-email")
    assert answer.status_code == 400 and "is not an email address" in answer.get_data(as_text=True)
    assert db.session.query(User).count() == 0


def test_registering_a_taken_email_looks_the_same_and_tells_the_owner(app, client):
    make.user("taken@example.com")
    known = register(client, "taken@example.com").get_data(as_text=True)
    unknown = register(app.test_client(), "free@example.com").get_data(as_text=True)
    assert known.replace("taken@example.com", "EMAIL") == unknown.replace("free@example.com", "EMAIL")
    subjects = dict(email_subjects(app))
    assert subjects["taken@example.com"] == "You already have an account"
    assert subjects["free@example.com"] == "Confirm your email address"
    owner = user_named("taken@example.com")
    assert owner.check_password(PASSWORD)  # nothing about the real account changed


# --- signing in -----------------------------------------------------------------------------

def test_sign_in_and_out(app, client):
    make.user("pat@example.com", name="Pat")
    answer = sign_in(client, "PAT@example.com ", PASSWORD)
    assert answer.status_code == 303 and answer.headers["Location"].endswith("/account")
    assert "Signed in as Pat" in client.get("/account").get_data(as_text=True)
    out = client.post("/account/sign-out", data={"csrf_token": page_token(client, "/account")})
    assert out.status_code == 303
    assert client.get("/account").status_code == 302


@pytest.mark.parametrize("email, password", [("pat@example.com", "wrong password here"), ("nobody@example.com", PASSWORD)])
def test_bad_credentials_get_the_same_answer_whether_or_not_the_email_exists(app, client, email, password):
    make.user("pat@example.com")
    answer = sign_in(client, email, password)
    assert answer.status_code == 401
    assert "don&#39;t match an account" in answer.get_data(as_text=True)
    assert client.get("/account").status_code == 302


def test_sign_in_renews_the_session_and_keeps_the_cart(app, client):
    oil = make.product("Oil", sizes=((100, 1000, 10),))
    make.user("pat@example.com")
    add_to_cart(client, oil.variants[0].id, 2)
    before = page_token(client, "/account/sign-in")
    sign_in(client, "pat@example.com", PASSWORD)
    after = page_token(client, "/cart")
    assert before != after  # a new session: a token planted before sign-in is worth nothing
    assert "Oil" in client.get("/cart").get_data(as_text=True)


def test_account_pages_send_visitors_to_sign_in_and_back(app, client):
    answer = client.get("/account/supplies")
    assert answer.status_code == 302
    assert "/account/sign-in?next=" in answer.headers["Location"]
    make.user("pat@example.com")
    page = client.get(answer.headers["Location"]).get_data(as_text=True)
    next_value = re.search(r'name="next" type="hidden" value="([^"]*)"', page) or re.search(r'id="next" name="next" type="hidden" value="([^"]*)"', page)
    assert next_value and next_value.group(1) == "/account/supplies"
    done = sign_in(client, "pat@example.com", PASSWORD, next=next_value.group(1))
    assert done.headers["Location"].endswith("/account/supplies")


@pytest.mark.parametrize("target", [
    "https://evil.example/", "//evil.example/", "/\\evil.example", "\\\\evil.example", "javascript:alert(1)",
    "http:/evil.example", "/%0a/evil.example\n", "evil.example",
])
def test_next_never_leaves_the_store(app, client, target):
    make.user("pat@example.com")
    answer = sign_in(client, "pat@example.com", PASSWORD, next=target)
    assert answer.status_code == 303
    location = answer.headers["Location"]
    assert location == "/account" or location.endswith("://localhost/account")
    assert safe_next(target) is None


def test_safe_next_keeps_paths_on_this_site():
    assert safe_next("/cart") == "/cart"
    assert safe_next("/products?category=oils&page=2") == "/products?category=oils&page=2"


# --- rate limits ----------------------------------------------------------------------------

def test_repeated_failures_on_one_account_are_refused_with_a_clear_page(app, client):
    make.user("pat@example.com")
    for _ in range(5):
        assert sign_in(client, "pat@example.com", "not the password").status_code == 401
    blocked = sign_in(client, "pat@example.com", PASSWORD)
    assert blocked.status_code == 429
    text = blocked.get_data(as_text=True)
    assert "Too many sign-in attempts" in text and "wait 15 minutes" in text
    assert "Retry-After" in blocked.headers
    # The limit is on that account, not on every account signing in from the clinic's address.
    make.user("colleague@example.com")
    assert sign_in(app.test_client(), "colleague@example.com", PASSWORD).status_code == 303


def test_an_unknown_email_is_limited_exactly_like_a_known_one(app, client):
    for _ in range(5):
        sign_in(client, "ghost@example.com", "whatever password")
    assert sign_in(client, "ghost@example.com", "whatever password").status_code == 429


@pytest.fixture
def app_settings():
    return {"SIGN_IN_LIMIT_PER_ADDRESS": "8 per 15 minutes"}


def test_one_address_trying_many_accounts_is_refused(app, client):
    for n in range(8):
        assert sign_in(client, f"guess{n}@example.com", "password guess").status_code == 401
    assert sign_in(client, "guess9@example.com", "password guess").status_code == 429


def test_successful_sign_ins_do_not_count_towards_the_limit(app, client):
    make.user("pat@example.com")
    for _ in range(7):
        assert sign_in(app.test_client(), "pat@example.com", PASSWORD).status_code == 303
    assert sign_in(client, "pat@example.com", PASSWORD).status_code == 303


# --- password reset -------------------------------------------------------------------------

def ask_for_reset(client, email):
    return client.post("/account/reset", data={"email": email, "csrf_token": page_token(client, "/account/reset")})


def choose_password(client, link, password="a brand new long passphrase"):
    token = page_token(client, link)
    return client.post(link, data={"password": password, "confirm": password, "csrf_token": token})


def test_reset_answers_the_same_for_known_and_unknown_emails(app, client):
    make.user("pat@example.com")
    known = ask_for_reset(client, "pat@example.com").get_data(as_text=True)
    unknown = ask_for_reset(client, "nobody@example.com").get_data(as_text=True)
    assert known.replace("pat@example.com", "E") == unknown.replace("nobody@example.com", "E")
    assert [to for to, _ in email_subjects(app)] == ["pat@example.com"]


def test_a_reset_link_works_once_and_signs_out_other_devices(app, client):
    make.user("pat@example.com")
    laptop = app.test_client()
    sign_in(laptop, "pat@example.com", PASSWORD)
    assert laptop.get("/account").status_code == 200

    ask_for_reset(client, "pat@example.com")
    [link] = links_in_outbox(app, "/account/reset/")
    done = choose_password(client, link)
    assert done.status_code == 303
    assert client.get("/account").status_code == 200  # signed in with the new password
    assert laptop.get("/account").status_code == 302  # the old session has ended

    again = client.get(link)
    assert again.status_code == 400 and "already been used" in again.get_data(as_text=True)
    assert sign_in(app.test_client(), "pat@example.com", PASSWORD).status_code == 401
    assert sign_in(app.test_client(), "pat@example.com", "a brand new long passphrase").status_code == 303


def test_an_expired_reset_link_is_refused(app, client, monkeypatch):
    make.user("pat@example.com")
    ask_for_reset(client, "pat@example.com")
    [link] = links_in_outbox(app, "/account/reset/")
    issued = TimestampSigner.get_timestamp
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: issued(self) + 3601)
    answer = client.get(link)
    assert answer.status_code == 400 and "expired" in answer.get_data(as_text=True)
    token = page_token(client, "/account/reset")
    posted = client.post(link, data={"password": "x" * 20 + "yz!", "confirm": "x" * 20 + "yz!", "csrf_token": token})
    assert posted.status_code == 400
    assert user_named("pat@example.com").check_password(PASSWORD)


def test_a_tampered_reset_link_is_refused_and_changes_nothing(app, client):
    make.user("pat@example.com")
    ask_for_reset(client, "pat@example.com")
    [link] = links_in_outbox(app, "/account/reset/")
    forged = tampered(link)
    answer = client.get(forged)
    assert answer.status_code == 400 and "not valid" in answer.get_data(as_text=True)
    posted = client.post(forged, data={"password": "x" * 20, "confirm": "x" * 20, "csrf_token": page_token(client, "/account/reset")})
    assert posted.status_code == 400
    assert user_named("pat@example.com").check_password(PASSWORD)


def test_a_reset_refuses_a_weak_new_password(app, client):
    make.user("pat@example.com")
    ask_for_reset(client, "pat@example.com")
    [link] = links_in_outbox(app, "/account/reset/")
    answer = choose_password(client, link, "password1234")
    assert answer.status_code == 400 and "too common" in answer.get_data(as_text=True)
    assert user_named("pat@example.com").check_password(PASSWORD)
