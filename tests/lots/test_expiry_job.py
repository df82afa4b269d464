"""The worker's expiry job: expired lots leave sale with a movement; admins get one digest a day of what expires soon."""
from datetime import datetime, timedelta

from sqlalchemy import select

from shop.extensions import db
from shop.inventory.models import Lot, StockMovement
from shop.messages.jobs import JOBS, run_due_jobs
from tests import factories as make
from tests.helpers import assert_ledger_balances, email_subjects, email_text, outbox, stock_of
from tests.lots.support import receive

EXPIRY = [job for job in JOBS if job.name == "lot-expiry"]


def run_job(app, now):
    with app.app_context():
        return run_due_jobs(now, jobs=EXPIRY)


def test_the_daily_job_withdraws_expired_lots_once_and_sends_one_digest_a_day(app):
    admin = make.user(role="admin", email="stock@shop.example")
    gel = make.product("Cooling Gel", sizes=((100, 899, 0),)).variants[0]
    receive(admin, gel, ("G-OLD", 3, "2027-02-15"), ("G-SOON", 4, "2027-04-30"), ("G-LATER", 5, "2028-06-30"))
    morning = datetime(2027, 2, 16, 0, 30)  # G-OLD expired yesterday; G-SOON has 73 days left

    assert run_job(app, morning) == ["lot-expiry"]
    assert run_job(app, morning + timedelta(hours=1)) == ["lot-expiry"]  # hourly, but nothing twice
    db.session.expire_all()
    statuses = {lot.code: lot.status for lot in db.session.scalars(select(Lot))}
    assert statuses == {"G-OLD": "expired", "G-SOON": "sellable", "G-LATER": "sellable"}
    assert db.session.scalars(select(StockMovement.delta).where(StockMovement.reason == "expired")).all() == [-3]
    assert stock_of(gel.id) == 9
    subjects = [s for to, s in email_subjects(app) if to == "stock@shop.example"]
    assert subjects.count("Expiring in the next 90 days: 1 lot(s)") == 1
    assert subjects.count("Withdrawn from sale: 1 lot(s) expired or short-dated") == 1
    [digest] = [p for p in outbox(app) if "Expiring in the next" in p.read_text()]
    assert "lot G-SOON" in email_text(digest) and "G-LATER" not in email_text(digest)

    run_job(app, morning + timedelta(days=1))  # the next day: a new digest
    assert [s for _, s in email_subjects(app)].count("Expiring in the next 90 days: 1 lot(s)") == 2
    assert_ledger_balances()
