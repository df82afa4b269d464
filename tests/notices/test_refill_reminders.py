"""Refill reminders: opted in on the account page, one email per running-low item and due date, with a one-click link."""
from datetime import datetime, timedelta

import pytest

from shop.messages.jobs import JOBS, run_due_jobs
from tests import factories as make
from tests.helpers import csrf_token, deliver_due, email_subjects, links_in_outbox, sign_in, tampered

REFILLS = [job for job in JOBS if job.name == "refill-reminders"]
# Massage oil bought every 30 days: 1 Sep, 1 Oct, 31 Oct -> next due 30 Nov.
BOUGHT = [datetime(2026, 9, 1, 10), datetime(2026, 10, 1, 10), datetime(2026, 10, 31, 10)]
DUE = datetime(2026, 11, 30, 9)


def run_job(app, now):
    with app.app_context():
        return run_due_jobs(now, jobs=REFILLS)


@pytest.fixture
def regular(app):
    sam = make.user("sam@example.com")
    oil = make.product("Grapeseed Oil", slug="grapeseed-oil", sizes=((500, 1499, 40),))
    for when in BOUGHT:
        make.paid_order(sam, [(oil.variants[0], 2)], paid_at=when)
    return sam, oil


def opt(client, on):
    data = {"csrf_token": csrf_token(client)}
    if on:
        data["refill_reminders"] = "on"
    return client.post("/account/refill-reminders", data=data)


def reminders(app):
    deliver_due(app, datetime(2027, 1, 1))  # the jobs ran at times of the test's choosing; their emails are due by then
    return [subject for to, subject in email_subjects(app) if subject.startswith("Running low")]


def test_no_reminder_without_opting_in(app, client, regular):
    run_job(app, DUE - timedelta(days=3))
    assert reminders(app) == []


def test_one_reminder_per_item_and_due_date_however_often_the_job_runs(app, client, regular):
    sam, oil = regular
    sign_in(client, "sam@example.com", make.PASSWORD)
    assert 'name="refill_reminders" value="on" >' in client.get("/account").get_data(as_text=True)  # not ticked yet
    assert opt(client, True).status_code == 303
    assert 'name="refill_reminders" value="on" checked>' in client.get("/account").get_data(as_text=True)

    run_job(app, DUE - timedelta(days=8))
    assert reminders(app) == []  # not within 7 days yet
    for hours in range(0, 6 * 24, 7):  # the job comes round for days
        run_job(app, DUE - timedelta(days=7) + timedelta(hours=hours))
    assert email_subjects(app)[-1] == ("sam@example.com", "Running low on Grapeseed Oil?")
    assert reminders(app) == ["Running low on Grapeseed Oil?"]

    [link] = links_in_outbox(app, "/refill/")
    response = client.get(link)
    assert response.status_code == 303 and response.headers["Location"].endswith("/cart")
    cart = client.get("/cart").get_data(as_text=True)
    assert "Grapeseed Oil" in cart and 'value="2"' in cart
    assert client.get(tampered(link)).status_code == 400

    # a new order moves the due date on: the next due date gets its own reminder, once
    make.paid_order(sam, [(oil.variants[0], 2)], paid_at=datetime(2026, 11, 29, 10))
    for days in (22, 23, 24):
        run_job(app, datetime(2026, 12, 1, 9) + timedelta(days=days))
    assert reminders(app) == ["Running low on Grapeseed Oil?"] * 2


def test_opting_out_stops_reminders(app, client, regular):
    sign_in(client, "sam@example.com", make.PASSWORD)
    opt(client, True)
    assert opt(client, False).status_code == 303
    run_job(app, DUE - timedelta(days=2))
    assert reminders(app) == []
