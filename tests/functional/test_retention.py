"""Accounts never confirmed are removed by the worker after the 30 days the privacy notice states."""
from datetime import datetime, timedelta

from sqlalchemy import select

from shop.accounts.models import User
from shop.extensions import db
from shop.messages.jobs import JOBS, run_due_jobs
from tests import factories as make

NOW = datetime(2026, 12, 1, 9, 0)


def _made(email, days_ago, **fields):
    user = make.user(email, **fields)
    user.created_at = NOW - timedelta(days=days_ago)
    db.session.commit()
    return user


def test_the_worker_removes_unconfirmed_accounts_after_30_days_and_the_privacy_notice_says_so(app, client):
    _made("stale@example.com", 31, verified=False)
    _made("recent@example.com", 29, verified=False)
    _made("confirmed@example.com", 400)
    _made("old.admin@example.com", 400, verified=False, role="admin")
    job = next(j for j in JOBS if j.name == "remove-unconfirmed-accounts")

    assert run_due_jobs(NOW, jobs=[job]) == ["remove-unconfirmed-accounts"]
    db.session.expire_all()
    left = set(db.session.scalars(select(User.email)))
    assert left == {"recent@example.com", "confirmed@example.com", "old.admin@example.com"}

    assert run_due_jobs(NOW + timedelta(hours=1), jobs=[job]) == ["remove-unconfirmed-accounts"]  # again: nothing more
    assert set(db.session.scalars(select(User.email))) == left
    privacy = client.get("/privacy").get_data(as_text=True)
    assert "never confirmed" in privacy and "30 days" in privacy
