"""Roles and access: what an owner may change, what a buyer may not, what the team shares, and what
another clinic (or someone who has left) never sees."""
import pytest
from sqlalchemy import select

from shop.accounts.models import SupplyItem
from shop.audit.models import AuditEntry
from shop.careplans.models import CarePlan
from shop.careplans.services import plan_of, plans_of
from shop.clinics.models import ClinicMember
from shop.clinics.services import ClinicError, change_member, remove_member
from shop.extensions import db
from shop.orders.visibility import order_of, orders_of
from shop.reorder.services import Wanted, save_to_supplies, supplies_of
from tests import factories as make
from tests.factories import PASSWORD
from tests.helpers import csrf_token, sign_in


def member_row(user) -> ClinicMember:
    db.session.expire_all()
    return db.session.scalar(select(ClinicMember).where(ClinicMember.user_id == user.id))


def test_a_buyer_cannot_change_the_team_invite_or_add_addresses(app, client, jo, sam):
    owner_row = member_row(jo)
    sign_in(client, "sam@harbour.example", PASSWORD)
    token = csrf_token(client)
    attempts = {
        f"/account/clinic/members/{owner_row.id}": {"role": "buyer", "monthly_limit": ""},
        f"/account/clinic/members/{member_row(sam).id}": {"role": "owner", "monthly_limit": ""},
        f"/account/clinic/members/{owner_row.id}/remove": {},
        "/account/clinic/invite": {"email": "friend@example.com", "role": "owner"},
        "/account/clinic/sites": {"site_name": "Mine", "recipient": "Sam", "line1": "1 Lane", "city": "Leeds", "postcode": "LS1 1AA"},
    }
    for url, data in attempts.items():
        answer = client.post(url, data={**data, "csrf_token": token})
        assert answer.status_code == 403, url
        assert "Only an owner of the clinic" in answer.get_data(as_text=True)
    assert member_row(jo).role == "owner" and member_row(sam).role == "buyer" and member_row(sam).monthly_limit_pence == 5000
    page = client.get("/account/clinic").get_data(as_text=True)
    assert "Harbour Physio" in page and "£50.00" in page and "Send invitation" not in page


def test_the_owner_sets_roles_and_limits_and_the_audit_log_says_who(app, client, jo, sam):
    sign_in(client, "jo@harbour.example", PASSWORD)
    answer = client.post(f"/account/clinic/members/{member_row(sam).id}",
                         data={"role": "buyer", "monthly_limit": "120.50", "csrf_token": csrf_token(client)})
    assert answer.status_code == 303
    assert member_row(sam).monthly_limit_pence == 12050
    bad = client.post(f"/account/clinic/members/{member_row(sam).id}",
                      data={"role": "buyer", "monthly_limit": "-3", "csrf_token": csrf_token(client)})
    assert bad.status_code == 400 and "cannot be negative" in bad.get_data(as_text=True)
    assert member_row(sam).monthly_limit_pence == 12050
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "clinic.member")).one()
    assert entry.actor_email == "jo@harbour.example" and '"monthly_limit_pence": 12050' in entry.after_json


def test_the_clinic_always_keeps_an_owner_and_an_owner_cannot_remove_themselves(app, jo, sam):
    with pytest.raises(ClinicError, match="needs an owner"):
        change_member(jo, member_row(jo).id, role="buyer", monthly_limit_pence=None)
    with pytest.raises(ClinicError, match="can't remove yourself"):
        remove_member(jo, member_row(jo).id)
    change_member(jo, member_row(sam).id, role="owner", monthly_limit_pence=3000)
    assert member_row(sam).role == "owner" and member_row(sam).monthly_limit_pence is None  # owners have no limit
    change_member(jo, member_row(jo).id, role="buyer", monthly_limit_pence=None)  # now there is another owner
    assert member_row(jo).role == "buyer"


def test_another_clinics_orders_are_a_404_and_the_team_sees_each_others(app, client, jo, sam, oil):
    lee = make.user("lee@riverside.example", trade_status="approved", clinic_name="Riverside Sports")
    theirs = make.paid_order(lee, [(oil.variants[0], 1)], pricing="trade")
    theirs.clinic_id = lee.clinic.id
    ours = make.paid_order(sam, [(oil.variants[0], 2)], pricing="trade")
    ours.clinic_id = jo.clinic.id
    db.session.commit()

    sign_in(client, "jo@harbour.example", PASSWORD)
    for url in (f"/account/orders/{theirs.id}", f"/account/orders/{theirs.id}/receipt"):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/account/orders/{theirs.id}/buy-again", data={"csrf_token": csrf_token(client)}).status_code == 404
    page = client.get(f"/account/orders/{ours.id}").get_data(as_text=True)
    assert "for Harbour Physio, placed by Sam Buyer" in page
    assert "Harbour Physio" in client.get(f"/account/orders/{ours.id}/receipt").get_data(as_text=True)
    home = client.get("/account").get_data(as_text=True)
    assert ours.number in home and theirs.number not in home and "Sam Buyer" in home


def test_a_removed_member_no_longer_sees_trade_prices_or_the_clinics_orders_on_their_next_page(app, client, jo, sam, oil):
    order = make.paid_order(sam, [(oil.variants[0], 1)], pricing="trade")
    order.clinic_id = jo.clinic.id
    db.session.commit()
    sign_in(client, "sam@harbour.example", PASSWORD)
    assert "£7.50" in client.get("/products/grapeseed-oil").get_data(as_text=True)
    assert order.number in client.get("/account").get_data(as_text=True)

    remove_member(jo, member_row(sam).id)  # from the owner's own session, while Sam stays signed in

    assert "£7.50" not in client.get("/products/grapeseed-oil").get_data(as_text=True)
    assert order.number not in client.get("/account").get_data(as_text=True)
    assert client.get(f"/account/orders/{order.id}").status_code == 404
    assert client.get("/account/clinic").status_code == 404
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "clinic.remove")).one()
    assert entry.actor_email == "jo@harbour.example" and "sam@harbour.example" in entry.summary


def test_the_supplies_list_and_care_plans_are_the_clinics(app, jo, sam, oil):
    save_to_supplies(sam, [Wanted(oil.variants[0].id, 4)], max_per_line=99)
    save_to_supplies(jo, [Wanted(oil.variants[0].id, 6)], max_per_line=99)  # the same line, the larger usual quantity
    assert [(i.variant_id, i.quantity) for i in supplies_of(jo)] == [(oil.variants[0].id, 6)]
    assert supplies_of(sam) == supplies_of(jo)
    assert db.session.scalars(select(SupplyItem.clinic_id)).all() == [jo.clinic.id]

    plan = CarePlan(practitioner_id=sam.id, title="Knee, weeks 1-4")
    lee = make.user("lee@riverside.example", trade_status="approved")
    db.session.add(plan)
    db.session.commit()
    assert plan_of(jo, plan.id) == plan and [p.practitioner.name for p, _ in plans_of(jo)] == ["Sam Buyer"]
    assert plan_of(lee, plan.id) is None and plans_of(lee) == []
    assert orders_of(lee) == [] and order_of(lee, 1) is None
