"""A customer's data rights on the account page: download everything kept about them, or delete the account."""
import csv
import io
import json

from sqlalchemy import select, text

from shop.accounts.models import SupplyItem, User
from shop.audit.models import AuditEntry
from shop.careplans.models import CarePlan, CarePlanItem
from shop.extensions import db
from shop.messages.outbox import record_message
from shop.notices.models import BackInStockRequest, RefillReminderChoice
from shop.orders.models import Order
from tests import factories as make
from tests.helpers import csrf_token, sign_in


def everything_stored() -> str:
    """Every row of every table as text, to look for any trace of a person."""
    db.session.expire_all()
    rows = []
    for table in db.metadata.sorted_tables:
        rows += [" | ".join(str(v) for v in row) for row in db.session.execute(table.select()).all()]
    return "\n".join(rows).lower()


def shopper(app):
    ann = make.user("ann@example.com", name="Ann Example")
    cream = make.product("Arnica Cream", sizes=((100, 1500, 10), (250, 2800, 10)))
    mine = make.paid_order(ann, [(cream.variants[0], 2)])
    as_guest = make.paid_order(None, [(cream.variants[1], 1)], email="ann@example.com")
    as_guest.ship_line1 = "9 Mill Lane"
    bobs = make.paid_order(None, [(cream.variants[0], 1)], email="bob@example.com")
    bobs.ship_name, bobs.ship_line1, bobs.ship_postcode = "Bob Other", "5 Elm Row", "EH1 1AA"
    db.session.add(SupplyItem(user_id=ann.id, variant_id=cream.variants[1].id, quantity=3))
    db.session.add(BackInStockRequest(variant_id=cream.variants[0].id, email="ann@example.com"))
    db.session.add(RefillReminderChoice(user_id=ann.id))
    record_message("ann@example.com", "Your order is on its way", "Hello Ann, it's shipped.", kind="order_shipped")
    record_message("bob@example.com", "Bob's order", "Hello Bob", kind="order_shipped")
    db.session.commit()
    client = app.test_client()
    sign_in(client, ann.email, make.PASSWORD)
    return ann, client, (mine, as_guest)


def test_download_my_data_has_profile_addresses_orders_supplies_and_emails(app):
    ann, client, (mine, as_guest) = shopper(app)
    assert "Download my data" in client.get("/account").get_data(as_text=True)
    answer = client.get("/account/my-data.json")
    assert answer.status_code == 200 and answer.mimetype == "application/json"
    assert 'attachment; filename="my-data.json"' == answer.headers["Content-Disposition"]
    data = json.loads(answer.get_data(as_text=True))
    assert data["profile"]["email"] == "ann@example.com" and data["profile"]["name"] == "Ann Example"
    assert [o["number"] for o in data["orders"]] == [mine.number, as_guest.number]  # Bob's is not there
    assert data["orders"][0]["lines"][0]["quantity"] == 2 and data["orders"][0]["total_pence"] == 3000
    assert {a["line1"] for a in data["addresses_used"]} == {"2 Park Road", "9 Mill Lane"}
    assert data["supplies_list"][0]["quantity"] == 3
    assert [m["subject"] for m in data["messages_sent"]] == ["Your order is on its way"]
    assert data["care_plans_written"] == []
    assert data["email_subscriptions"]["back_in_stock"][0]["sku"] == cream_sku(mine)
    assert data["email_subscriptions"]["refill_reminders"] is True

    sheet = client.get("/account/my-orders.csv")
    assert sheet.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(sheet.get_data(as_text=True))))
    assert [(r["order"], r["quantity"], r["line total"], r["VAT included"]) for r in rows] == [
        (mine.number, "2", "30.00", "5.00"), (as_guest.number, "1", "28.00", "4.67")]

    anonymous = app.test_client()
    assert anonymous.get("/account/my-data.json").status_code == 302


def test_a_practitioners_download_has_the_care_plans_they_wrote(app):
    jo = make.user("jo@clinic.example", trade_status="approved", name="Jo Physio")
    oil = make.product("Oil", sizes=((100, 1000, 10),))
    db.session.add(CarePlan(practitioner_id=jo.id, title="Knee, weeks 1-4",
                            items=[CarePlanItem(variant_id=oil.variants[0].id, quantity=2, note="Twice daily")]))
    db.session.commit()
    client = app.test_client()
    sign_in(client, jo.email, make.PASSWORD)
    data = client.get("/account/my-data.json").get_json()
    assert data["care_plans_written"][0]["title"] == "Knee, weeks 1-4"
    assert data["care_plans_written"][0]["items"][0]["note"] == "Twice daily"
    assert data["profile"]["trade_account"]["clinic_name"].startswith("Clinic")


def cream_sku(order):
    return order.lines[0].sku


def rows_of(user_id) -> list[str]:
    """Rows anywhere that still point at the account."""
    found = []
    for table in db.metadata.sorted_tables:
        for column in ("user_id", "practitioner_id"):
            if column in table.c:
                found += [table.name for _ in db.session.execute(table.select().where(table.c[column] == user_id)).all()]
    return found


def _delete(client, **fields):
    return client.post("/account/delete", data={"csrf_token": csrf_token(client), **fields})


def test_deleting_my_account_needs_the_password_and_the_box_ticked(app):
    ann, client, _ = shopper(app)
    assert _delete(client, password=make.PASSWORD).status_code == 400
    assert _delete(client, password="not my password at all", confirm="y").status_code == 401
    assert db.session.scalar(select(User).where(User.email == "ann@example.com")) is not None
    assert "ann@example.com" in everything_stored()


def test_deleting_my_account_leaves_no_trace_of_me_but_keeps_the_tax_record(app):
    ann, client, (mine, as_guest) = shopper(app)
    ann_id = ann.id
    other_device = app.test_client()
    sign_in(other_device, ann.email, make.PASSWORD)
    totals = {mine.id: mine.total_pence, as_guest.id: as_guest.total_pence}

    answer = _delete(client, password=make.PASSWORD, confirm="y")
    assert answer.status_code == 303 and answer.headers["Location"] == "/"
    assert client.get("/account").status_code == 302 and other_device.get("/account").status_code == 302

    stored = everything_stored()
    for trace in ("ann@example.com", "ann example", "2 park road", "9 mill lane", "a buyer", "yo1 1aa"):
        assert trace not in stored, trace
    assert "bob@example.com" in stored  # nobody else's
    assert rows_of(ann_id) == []  # supplies list, subscriptions, reminders: gone with the account
    kept = {o.id: o for o in db.session.scalars(select(Order).where(Order.id.in_(totals)))}
    assert {i: o.total_pence for i, o in kept.items()} == totals
    assert all(o.paid_at is not None and o.lines for o in kept.values())
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "account.erase"))
    assert "asked by the customer" in entry.summary
    # The log says who acted without naming them: not the command line, not the erased email.
    assert (entry.actor_id, entry.actor_email) == (None, "the account holder")


def test_a_leaving_practitioner_keeps_only_the_clinics_invoicing_details_and_their_plans_are_revoked(app):
    jo = make.user("jo@clinic.example", trade_status="approved", name="Jo Physio", clinic_name="Harbour Physio")
    oil = make.product("Oil", sizes=((100, 1000, 10),))
    trade_order = make.paid_order(jo, [(oil.variants[0], 4)], pricing="trade")
    plan = CarePlan(practitioner_id=jo.id, title="Knee", items=[CarePlanItem(variant_id=oil.variants[0].id, quantity=1)])
    db.session.add(plan)
    db.session.commit()
    patients = make.paid_order(None, [(oil.variants[0], 1)], email="pat@example.com")
    patients.care_plan_id, patients.care_plan_practitioner, patients.care_plan_clinic = plan.id, "Jo Physio", "Harbour Physio"
    db.session.commit()
    token, jo_id = plan.token, jo.id
    client = app.test_client()
    sign_in(client, jo.email, make.PASSWORD)
    assert _delete(client, password=make.PASSWORD, confirm="y").status_code == 303

    stored = everything_stored()
    for trace in ("jo@clinic.example", "jo physio", "0113 000 0000"):
        assert trace not in stored, trace
    kept = db.session.get(Order, trade_order.id)
    assert (kept.ship_name, kept.ship_line1, kept.ship_city, kept.ship_postcode) == ("Harbour Physio", "1 High Street", "Leeds", "LS1 1AA")
    assert "pat@example.com" in stored  # the patient's own order is theirs
    assert app.test_client().get(f"/plan/{token}").status_code == 404
    assert rows_of(jo_id) == []


def test_a_patient_leaving_leaves_the_practitioners_plan_alone(app):
    jo = make.user("jo@clinic.example", trade_status="approved", name="Jo Physio", clinic_name="Harbour Physio")
    oil = make.product("Oil", sizes=((100, 1000, 10),))
    plan = CarePlan(practitioner_id=jo.id, title="Knee", items=[CarePlanItem(variant_id=oil.variants[0].id, quantity=1)])
    db.session.add(plan)
    pat = make.user("pat@example.com")
    order = make.paid_order(pat, [(oil.variants[0], 1)])
    order.care_plan_id, order.care_plan_practitioner = plan.id, "Jo Physio"
    db.session.commit()
    client = app.test_client()
    sign_in(client, pat.email, make.PASSWORD)
    assert _delete(client, password=make.PASSWORD, confirm="y").status_code == 303
    db.session.expire_all()
    assert db.session.get(CarePlan, plan.id).revoked_at is None
    assert db.session.get(Order, order.id).care_plan_practitioner == "Jo Physio"
    assert app.test_client().get(f"/plan/{plan.token}").status_code == 200
