"""Admins sign in with a password and a code from an authenticator app; practitioners may opt in.

Service-level tests pass `now` (and so the time-step) in; page tests make the code for the clock the
server reads, as the admin's phone would.
"""
import re
from datetime import datetime, timedelta

from sqlalchemy import select

from shop.accounts.models import RecoveryCode, User
from shop.accounts.second_factor import STEP_SECONDS, code_at, pass_second_factor, time_step
from shop.audit.models import AuditEntry
from shop.extensions import db
from tests import factories as make
from tests.admin.support import current_code, pass_code, post, with_second_factor
from tests.helpers import csrf_token, sign_in

NOON = datetime(2026, 12, 1, 12, 0, 0)


def test_a_password_alone_does_not_open_the_back_office(app, client):
    admin = make.user("boss@example.com", role="admin")
    with_second_factor(admin)
    answer = sign_in(client, admin.email, make.PASSWORD, next="/admin/orders")
    assert answer.status_code == 303 and answer.headers["Location"] == "/account/sign-in/code"
    assert client.get("/admin/").status_code == 302  # not signed in yet: to sign-in
    assert "Your sign-in code" in client.get("/account/sign-in/code").get_data(as_text=True)

    wrong = pass_code(client, admin, "000000" if current_code(admin) != "000000" else "111111")
    assert wrong.status_code == 401 and "it has been used already" in wrong.get_data(as_text=True)
    assert client.get("/admin/").status_code == 302

    right = pass_code(client, admin)
    assert right.status_code == 303 and right.headers["Location"] == "/admin/orders"  # `next` kept through the code
    assert client.get("/admin/orders").status_code == 200


def test_an_admin_without_a_second_factor_is_told_how_to_get_one(app, client):
    admin = make.user("boss@example.com", role="admin")
    assert sign_in(client, admin.email, make.PASSWORD).status_code == 303
    page = client.get("/admin/")
    assert page.status_code == 403
    assert "flask --app wsgi shop reset-second-factor boss@example.com" in page.get_data(as_text=True)
    # and a stolen password cannot choose the factor from the account page
    assert "Turn on the second factor" not in client.get("/account/second-factor").get_data(as_text=True)


def test_a_code_works_once_and_only_near_its_time(app):
    user = make.user(role="admin")
    secret = with_second_factor(user)
    step = time_step(NOON)
    assert pass_second_factor(user, code_at(secret, step), NOON)
    assert not pass_second_factor(user, code_at(secret, step), NOON)  # replayed
    assert not pass_second_factor(user, code_at(secret, step - 1), NOON + timedelta(seconds=5))  # older than the last used
    later = NOON + timedelta(seconds=STEP_SECONDS)
    assert not pass_second_factor(user, code_at(secret, step + 3), later)  # too far ahead of the server's clock
    assert pass_second_factor(user, code_at(secret, step + 2), later)  # one step of drift is allowed
    much_later = NOON + timedelta(minutes=10)
    assert not pass_second_factor(user, code_at(secret, step + 3), much_later)  # a stale code


def test_a_recovery_code_works_once(app, client):
    runner = app.test_cli_runner()
    admin = make.user("boss@example.com", role="admin")
    codes = _set_up_from_the_link(client, runner, admin.email)
    assert len(codes) == 10 and len(set(codes)) == 10
    stored = db.session.scalars(select(RecoveryCode.code_hash)).all()
    assert all(code.replace("-", "") not in "".join(stored) for code in codes)  # only hashes are kept

    assert pass_second_factor(admin, codes[0].upper(), NOON)
    assert not pass_second_factor(admin, codes[0], NOON)
    assert pass_second_factor(admin, codes[1].replace("-", ""), NOON)


def _set_up_from_the_link(client, runner, email):
    result = runner.invoke(args=["shop", "create-admin", email, "--password", "a long new password 42"])
    assert result.exit_code == 0, result.output
    link = re.search(r"http://\S+/account/second-factor/setup/\S+", result.output).group(0)
    path = link.split("//", 1)[1].partition("/")[2]
    page = client.get("/" + path)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "<svg" in html
    user = db.session.scalar(select(User).where(User.email == email))
    db.session.refresh(user)
    assert user.totp_secret in html and not user.has_second_factor  # pending until a code comes back
    wrong = client.post("/" + path, data={"csrf_token": csrf_token(client), "code": "12345"})
    assert wrong.status_code == 400
    done = client.post("/" + path, data={"csrf_token": csrf_token(client), "code": current_code(user)})
    assert done.status_code == 200, done.get_data(as_text=True)[:400]
    assert client.get("/" + path).status_code == 400  # the link is spent
    db.session.refresh(user)
    assert user.has_second_factor
    return re.findall(r"<code>([0-9a-f]{5}-[0-9a-f]{5})</code>", done.get_data(as_text=True))


def test_create_admin_prints_a_setup_link_and_the_admin_signs_in_with_its_code(app, client):
    runner = app.test_cli_runner()
    _set_up_from_the_link(client, runner, "new.admin@example.com")
    other = app.test_client()
    assert sign_in(other, "new.admin@example.com", "a long new password 42").headers["Location"] == "/account/sign-in/code"
    user = db.session.scalar(select(User).where(User.email == "new.admin@example.com"))
    assert pass_code(other, user).headers["Location"] == "/admin/"
    assert other.get("/admin/").status_code == 200


def test_a_lost_factor_is_reset_from_the_command_line(app, client):
    runner = app.test_cli_runner()
    codes = _set_up_from_the_link(client, runner, "boss@example.com")
    user = db.session.scalar(select(User).where(User.email == "boss@example.com"))
    old_secret = user.totp_secret
    result = runner.invoke(args=["shop", "reset-second-factor", "boss@example.com"])
    assert result.exit_code == 0 and "/account/second-factor/setup/" in result.output
    db.session.refresh(user)
    assert not user.has_second_factor and user.totp_secret != old_secret
    assert not pass_second_factor(user, codes[2], NOON)  # the old recovery codes are gone
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "account.second_factor",
                                                      AuditEntry.actor_id.is_(None))) is not None
    assert runner.invoke(args=["shop", "reset-second-factor", "nobody@example.com"]).exit_code != 0


def test_wrong_codes_are_limited_per_account(app, client):
    admin = make.user("boss@example.com", role="admin")
    with_second_factor(admin)
    sign_in(client, admin.email, make.PASSWORD)
    wrong = "000000" if current_code(admin) != "000000" else "111111"
    for _ in range(5):
        assert pass_code(client, admin, wrong).status_code == 401
    # a new session (cookies dropped) for the same account is still refused: the count is the account's
    fresh = app.test_client()
    sign_in(fresh, admin.email, make.PASSWORD)
    refused = pass_code(fresh, admin)
    assert refused.status_code == 429
    assert fresh.get("/admin/").status_code == 302


def test_a_practitioner_may_opt_in_from_the_account_page(app, client):
    physio = make.user("physio@example.com", trade_status="approved")
    sign_in(client, physio.email, make.PASSWORD)
    assert "/account/second-factor" in client.get("/account").get_data(as_text=True)
    page = client.get("/account/second-factor").get_data(as_text=True)
    assert "<svg" in page and "Turn on the second factor" in page
    db.session.refresh(physio)
    done = post(client, "/account/second-factor", {"code": current_code(physio)})
    assert done.status_code == 200 and len(re.findall(r"<code>[0-9a-f]{5}-[0-9a-f]{5}</code>", done.get_data(as_text=True))) == 10

    again = app.test_client()
    assert sign_in(again, physio.email, make.PASSWORD).headers["Location"] == "/account/sign-in/code"
    assert again.get("/account").status_code == 302  # not signed in until the code
    assert pass_code(again, physio).headers["Location"] == "/account"


def test_a_session_that_has_not_passed_the_factor_is_asked_for_a_code_again(app, client):
    """As when a remembered device brings an admin back in a new session: signed in, factor not passed here."""
    admin = make.user("boss@example.com", role="admin")
    with_second_factor(admin)
    sign_in(client, admin.email, make.PASSWORD)
    pass_code(client, admin)
    with client.session_transaction() as session:
        session.pop("factor_passed")
    answer = client.get("/admin/orders")
    assert answer.status_code == 302 and answer.headers["Location"] == "/account/sign-in/code?next=/admin/orders"
    again = client.post("/account/sign-in/code?next=/admin/orders", data={"csrf_token": csrf_token(client), "code": current_code(admin)})
    assert again.status_code == 303 and again.headers["Location"] == "/admin/orders"
    assert client.get("/admin/orders").status_code == 200
