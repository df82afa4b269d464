"""Inviting staff: signed links that expire, work once and die when withdrawn; joining with a new or an existing account."""
import html
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from shop.accounts.tokens import BadLink
from shop.audit.models import AuditEntry
from shop.clinics import invitations
from shop.clinics.models import ClinicInvitation, ClinicMember
from shop.clinics.services import ClinicError
from shop.clock import utcnow
from shop.extensions import db
from shop.messages.models import Message
from tests import factories as make
from tests.factories import PASSWORD
from tests.helpers import csrf_token, sign_in, tampered

NOW = utcnow().replace(microsecond=0)


def invite(app, owner, email, role="buyer", now=NOW) -> str:
    """Invite as the owner; the path of the link in the email recorded."""
    with app.test_request_context():
        invitations.invite(owner, email, role, now=now)
    text = db.session.scalars(select(Message.text_body).where(Message.recipient == email.lower()).order_by(Message.id.desc())).first()
    return re.search(r"https?://[^/\s]+(/clinic/join/\S+)", text).group(1)


def token_of(path: str) -> str:
    return path.rsplit("/", 1)[1]


def test_a_new_person_sets_a_password_from_the_invitation_and_orders_at_trade_prices(app, client, jo, oil):
    path = invite(app, jo, "Alex@Harbour.example")
    message = db.session.scalars(select(Message).where(Message.kind == "clinic_invitation")).one()
    assert message.recipient == "alex@harbour.example" and "Harbour Physio" in message.subject
    invitation = db.session.scalars(select(ClinicInvitation)).one()
    assert token_of(path) not in invitation.token_hash and len(invitation.token_hash) == 64  # only its hash is kept

    page = client.get(path)
    assert page.status_code == 200 and "Choose a password" in page.get_data(as_text=True)
    answer = client.post(path, data={"name": "Alex", "password": "lavender tincture 42", "confirm": "lavender tincture 42",
                                      "csrf_token": csrf_token(client)})
    assert answer.status_code == 303 and answer.headers["Location"].endswith("/account/clinic")

    alex = db.session.scalar(select(ClinicMember).where(ClinicMember.clinic_id == jo.clinic.id, ClinicMember.role == "buyer")).user
    assert alex.email == "alex@harbour.example" and alex.email_verified  # the link proved the inbox
    assert "£7.50" in client.get("/products/grapeseed-oil").get_data(as_text=True)  # signed in, at the clinic's trade price
    assert [e.action for e in db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))] == ["clinic.invite", "clinic.join"]


def test_someone_with_an_account_joins_once_and_the_link_then_fails(app, jo):
    kim = make.user("kim@harbour.example")
    path = invite(app, jo, "kim@harbour.example", role="owner")
    assert invitations.open_invitation(token_of(path), now=NOW).existing == kim

    invitations.accept(token_of(path), kim, now=NOW)
    assert kim.clinic_membership.clinic == jo.clinic and kim.clinic_membership.role == "owner"
    with pytest.raises(BadLink, match="already been used"):
        invitations.open_invitation(token_of(path), now=NOW)


def test_an_expired_invitation_is_refused(app, jo):
    path = invite(app, jo, "kim@harbour.example")
    days = app.config["CLINIC_INVITATION_DAYS"]
    assert invitations.open_invitation(token_of(path), now=NOW + timedelta(days=days) - timedelta(seconds=1))
    with pytest.raises(BadLink, match="expired"):
        invitations.join_with_new_account(token_of(path), "lavender tincture 42", now=NOW + timedelta(days=days))
    assert db.session.scalars(select(ClinicMember)).all() == jo.clinic.members  # nobody joined


def test_a_withdrawn_or_replaced_invitation_no_longer_works_and_a_tampered_one_never_did(app, jo):
    first = invite(app, jo, "kim@harbour.example")
    second = invite(app, jo, "kim@harbour.example")  # sent again: the first link dies
    with pytest.raises(BadLink, match="withdrawn or replaced"):
        invitations.open_invitation(token_of(first), now=NOW)
    invitation = invitations.open_invitation(token_of(second), now=NOW).invitation
    invitations.revoke(jo, invitation.id, now=NOW)
    with pytest.raises(BadLink, match="withdrawn"):
        invitations.open_invitation(token_of(second), now=NOW)
    with pytest.raises(BadLink, match="not valid"):
        invitations.open_invitation(tampered(token_of(second)), now=NOW)


def test_signed_in_as_someone_else_the_invitation_is_refused_with_who_it_is_for(app, client, jo):
    path = invite(app, jo, "kim@harbour.example")
    make.user("pat@elsewhere.example")
    sign_in(client, "pat@elsewhere.example", PASSWORD)
    page = client.get(path)
    assert page.status_code == 403
    assert ("This invitation is for kim@harbour.example, but you're signed in as pat@elsewhere.example"
            in html.unescape(page.get_data(as_text=True)))
    assert client.post(path, data={"csrf_token": csrf_token(client)}).status_code == 403
    assert len(jo.clinic.members) == 1
    assert invitations.open_invitation(token_of(path), now=NOW)  # still there for Kim


def test_a_member_of_another_clinic_cannot_join_a_second(app, jo):
    other = make.user("lee@riverside.example", trade_status="approved", clinic_name="Riverside Sports")
    path = invite(app, jo, "lee@riverside.example")
    with pytest.raises(ClinicError, match="You already belong to Riverside Sports, and a person can order for one clinic only"):
        invitations.accept(token_of(path), other, now=NOW)
    assert other.clinic.name == "Riverside Sports"


def test_inviting_someone_already_in_the_clinic_or_a_bad_address_says_why(app, jo, sam):
    with app.test_request_context(), pytest.raises(ClinicError, match="already in Harbour Physio"):
        invitations.invite(jo, "SAM@harbour.example", now=NOW)
    with app.test_request_context(), pytest.raises(ClinicError, match="is not an email address"):
        invitations.invite(jo, "sam at harbour", now=NOW)
    assert db.session.scalars(select(ClinicInvitation)).all() == []


@pytest.fixture
def app_settings():
    return {"CLINIC_INVITATION_LIMIT": "2 per day"}


def test_invitations_are_limited_per_owner(app, client, jo):
    sign_in(client, "jo@harbour.example", PASSWORD)
    answers = [client.post("/account/clinic/invite", data={"email": f"p{n}@harbour.example", "role": "buyer",
                                                           "csrf_token": csrf_token(client)}).status_code for n in range(3)]
    assert answers == [303, 303, 429]
    assert db.session.query(ClinicInvitation).count() == 2
