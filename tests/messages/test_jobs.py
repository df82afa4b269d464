"""The worker's periodic jobs: the checkout sweeper runs every minute, claimed by one worker at a time."""
import threading
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from shop.extensions import db
from shop.messages.jobs import JOBS, run_due_jobs
from shop.orders.models import Order
from tests import factories as make
from tests.helpers import add_to_cart, assert_ledger_balances, checkout, stock_of

SWEEPER = "release-expired-checkouts"
ONLY_SWEEPER = [job for job in JOBS if job.name == SWEEPER]  # the other jobs have their own tests


@pytest.fixture
def oil(app):
    return make.product("Grapeseed Oil", slug="grapeseed-oil", sizes=((100, 699, 10),))


@pytest.fixture
def abandoned(client, oil) -> Order:
    add_to_cart(client, oil.variants[0].id, 3)
    assert checkout(client).status_code == 303
    db.session.expire_all()
    order = db.session.scalars(select(Order)).one()
    assert order.status == "pending_payment" and stock_of(oil.variants[0].id) == 7
    return order


def test_two_workers_asking_at_once_run_the_sweeper_once_and_it_comes_round_again_a_minute_later(app, abandoned, oil):
    now = abandoned.hold_expires_at + timedelta(seconds=1)
    barrier = threading.Barrier(2)
    ran = []

    def worker():
        with app.app_context():
            barrier.wait()
            ran.append(run_due_jobs(now, jobs=ONLY_SWEEPER))

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(ran) == [[], [SWEEPER]]
    db.session.expire_all()
    assert db.session.get(Order, abandoned.id).status == "expired"
    assert stock_of(oil.variants[0].id) == 10
    assert_ledger_balances()

    assert run_due_jobs(now + timedelta(seconds=59), jobs=ONLY_SWEEPER) == []  # not its turn yet
    assert run_due_jobs(now + timedelta(seconds=60), jobs=ONLY_SWEEPER) == [SWEEPER]
    assert stock_of(oil.variants[0].id) == 10  # idempotent: nothing released twice
    assert_ledger_balances()


def test_a_job_that_fails_does_not_stop_the_worker_and_is_tried_at_its_next_turn(app, abandoned, monkeypatch):
    import shop.checkout.services as checkout_services

    def broken(gateway, now=None):
        raise RuntimeError("gateway client misconfigured")

    monkeypatch.setattr(checkout_services, "release_expired", broken)
    now = abandoned.hold_expires_at + timedelta(seconds=1)
    assert run_due_jobs(now, jobs=ONLY_SWEEPER) == [SWEEPER]
    from shop.messages.models import JobRun

    db.session.expire_all()
    assert "RuntimeError: gateway client misconfigured" in db.session.get(JobRun, SWEEPER).last_result
    monkeypatch.undo()
    assert run_due_jobs(now + timedelta(minutes=1), jobs=ONLY_SWEEPER) == [SWEEPER]
    db.session.expire_all()
    assert db.session.get(Order, abandoned.id).status == "expired"


def test_worker_once_releases_expired_checkouts_and_delivers_what_is_due(app, runner, abandoned, oil, smtp):
    abandoned.hold_expires_at = datetime(2020, 1, 1)
    db.session.commit()
    from shop.messages.outbox import record_message

    record_message("clinic@example.com", "Hello", "Body", kind="test")
    db.session.commit()
    result = runner.invoke(args=["shop", "worker", "--once"])
    assert result.exit_code == 0, result.output
    assert "ran release-expired-checkouts" in result.output and "sent 1" in result.output
    db.session.expire_all()
    assert db.session.get(Order, abandoned.id).status == "expired"
    assert stock_of(oil.variants[0].id) == 10
    assert [r.to for r in smtp.received] == ["clinic@example.com"]
