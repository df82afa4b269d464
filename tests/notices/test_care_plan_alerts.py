"""Practitioners hear, once per plan and size, when a product in a live care plan runs out or is withdrawn."""
from datetime import datetime, timedelta

import pytest

from shop.careplans.models import CarePlan, CarePlanItem
from shop.clock import utcnow
from shop.extensions import db
from shop.inventory.services import adjust_stock, receive_delivery
from shop.messages.jobs import JOBS, run_due_jobs
from tests import factories as make
from tests.helpers import email_subjects, links_in_outbox, sign_in

START = datetime(2026, 12, 1, 9, 0)
ALERTS = [job for job in JOBS if job.name == "care-plan-alerts"]


def run_job(app, now):
    with app.app_context():
        return run_due_jobs(now, jobs=ALERTS)


@pytest.fixture
def plans(app):
    """Jo's knee plan and back plan both hold the 250 ml Arnica Balm (2 left); a revoked plan holds it too."""
    jo = make.user("jo@clinic.example", trade_status="approved", name="Jo Physio")
    balm = make.product("Arnica Balm", slug="arnica-balm", sizes=((250, 2499, 2),))
    oil = make.product("Grapeseed Oil", slug="grapeseed-oil", sizes=((100, 699, 9),))
    made = {}
    for title, revoked in (("Knee, weeks 1-4", None), ("Lower back", None), ("Old shoulder plan", utcnow())):
        plan = CarePlan(practitioner_id=jo.id, title=title, revoked_at=revoked)
        plan.items = [CarePlanItem(variant_id=balm.variants[0].id, quantity=1), CarePlanItem(variant_id=oil.variants[0].id)]
        db.session.add(plan)
        made[title] = plan
    db.session.commit()
    return made, balm, oil, make.user("stock@example.com", role="admin")


def alerts(app):
    return sorted(subject for to, subject in email_subjects(app) if to == "jo@clinic.example")


def test_a_size_running_out_tells_the_practitioner_once_per_live_plan_however_often_the_job_runs(app, client, plans):
    made, balm, oil, admin = plans
    run_job(app, START)
    assert alerts(app) == []  # everything is on sale

    adjust_stock(balm.variants[0].id, -2, "damaged", "dropped", actor=admin)
    for minutes in (5, 10, 15, 60):  # the job comes round again and again
        assert run_job(app, START + timedelta(minutes=minutes)) == ["care-plan-alerts"]
    assert alerts(app) == ["Arnica Balm (250 ml) is out of stock: Knee, weeks 1-4",
                           "Arnica Balm (250 ml) is out of stock: Lower back"]  # not the revoked plan
    knee = made["Knee, weeks 1-4"]
    assert f"/plans/{knee.id}" in links_in_outbox(app, "/plans/")

    sign_in(client, "jo@clinic.example", make.PASSWORD)
    page = client.get(f"/plans/{knee.id}").get_data(as_text=True)
    assert "Patients can't buy Arnica Balm at the moment (out of stock)." in page

    # back in stock: the editor says nothing; running out again is a new episode and a new email
    receive_delivery([make.lot_line(balm.variants[0].sku, 3)], "PO-9", actor=admin)
    run_job(app, START + timedelta(minutes=65))
    assert "Patients can't buy" not in client.get(f"/plans/{knee.id}").get_data(as_text=True)
    adjust_stock(balm.variants[0].id, -3, "expired", "past date", actor=admin)
    run_job(app, START + timedelta(minutes=70))
    run_job(app, START + timedelta(minutes=75))
    assert len(alerts(app)) == 4


def test_a_withdrawn_product_tells_the_practitioner_once_and_the_plan_page_says_so(app, client, plans):
    made, balm, oil, admin = plans
    oil.published = False
    db.session.commit()
    run_job(app, START)
    run_job(app, START + timedelta(minutes=5))
    run_job(app, START + timedelta(minutes=5))  # not its turn: claimed once per five minutes
    assert alerts(app) == ["Grapeseed Oil (100 ml) is withdrawn: Knee, weeks 1-4",
                           "Grapeseed Oil (100 ml) is withdrawn: Lower back"]
    sign_in(client, "jo@clinic.example", make.PASSWORD)
    page = client.get(f"/plans/{made['Lower back'].id}").get_data(as_text=True)
    assert "Patients can't buy Grapeseed Oil at the moment (withdrawn or out of stock)." in page
