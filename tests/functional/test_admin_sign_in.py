"""An admin signing in comes to the back office, not to a shopper's account page."""
from tests import factories as make
from tests.helpers import sign_in


def test_an_admin_lands_on_the_back_office(app):
    client = app.test_client()
    admin = make.user("boss@example.com", role="admin")
    answer = sign_in(client, admin.email, make.PASSWORD)
    assert answer.status_code == 303 and answer.headers["Location"] == "/admin/"


def test_a_safe_next_still_wins_for_an_admin(app):
    client = app.test_client()
    admin = make.user("boss@example.com", role="admin")
    answer = sign_in(client, admin.email, make.PASSWORD, next="/admin/orders")
    assert answer.headers["Location"] == "/admin/orders"
    other = app.test_client()
    assert sign_in(other, admin.email, make.PASSWORD, next="//evil.example/").headers["Location"] == "/admin/"


def test_a_customer_still_lands_on_their_account(app):
    client = app.test_client()
    customer = make.user("ann@example.com")
    assert sign_in(client, customer.email, make.PASSWORD).headers["Location"] == "/account"


def test_the_account_page_does_not_invite_an_admin_to_apply_for_trade(app):
    client = app.test_client()
    admin = make.user("boss@example.com", role="admin")
    sign_in(client, admin.email, make.PASSWORD)
    page = client.get("/account").get_data(as_text=True)
    assert "Apply for a trade account" not in page
    assert 'href="/admin/">back office</a>' in page
