"""The worker's periodic jobs, so no cron line is needed.

A run is claimed with a conditional update on the job's `next_run_at`: of two workers asking
at once, the database lets exactly one move it on, and only that one runs the job. Each job is
idempotent as well, so a run that dies half-way is simply done again next time.
"""
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from shop.extensions import db
from shop.messages.models import JobRun
from shop.messages.outbox import links_to_the_shop

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    name: str
    every: timedelta
    run: Callable[[datetime], str]  # does the work for `now`, returns a line for the log


def release_expired_checkouts(now: datetime) -> str:
    from shop.checkout.services import release_expired
    from shop.payments.services import get_gateway

    result = release_expired(get_gateway(), now=now)
    return f"released {result.released}, found paid {result.paid}, gateway unreachable for {result.failed}"


def alert_care_plan_practitioners(now: datetime) -> str:
    from shop.notices.care_plans import alert_practitioners

    return alert_practitioners(now)


def remind_refills(now: datetime) -> str:
    from shop.notices.refills import remind

    return remind(now)


def remove_unconfirmed_accounts(now: datetime) -> str:
    from shop.accounts.retention import remove_unconfirmed_accounts as remove

    return remove(now)


def forget_old_email_texts(now: datetime) -> str:
    from shop.messages.retention import forget_old_email_texts as forget

    return forget(now)


def check_lot_expiry(now: datetime) -> str:
    from shop.inventory.expiry import check_expiry

    return check_expiry(now)


def prepare_invoices(now: datetime) -> str:
    from shop.invoicing.preparing import prepare_invoices as prepare
    from shop.payments.services import get_gateway

    return prepare(get_gateway(), now)


def find_overdue_invoices(now: datetime) -> str:
    from shop.invoicing.preparing import mark_overdue

    return mark_overdue(now)


JOBS = [
    Job("release-expired-checkouts", timedelta(minutes=1), release_expired_checkouts),
    Job("care-plan-alerts", timedelta(minutes=5), alert_care_plan_practitioners),
    Job("refill-reminders", timedelta(hours=1), remind_refills),
    Job("remove-unconfirmed-accounts", timedelta(hours=1), remove_unconfirmed_accounts),
    Job("forget-old-email-texts", timedelta(hours=1), forget_old_email_texts),
    Job("lot-expiry", timedelta(hours=1), check_lot_expiry),
    # Soon after the order: the buyer sees "invoice being prepared" until then.
    Job("prepare-invoices", timedelta(seconds=10), prepare_invoices),
    Job("overdue-invoices", timedelta(hours=1), find_overdue_invoices),
]


def claim_run(job: Job, now: datetime) -> bool:
    """True if this caller may run `job` now; the next run is then due `job.every` later."""
    if db.session.scalar(select(JobRun.name).where(JobRun.name == job.name)) is None:
        try:
            with db.session.begin_nested():
                db.session.add(JobRun(name=job.name, next_run_at=now, last_result=""))
        except IntegrityError:
            pass  # another worker added it first
    won = db.session.execute(
        update(JobRun).where(JobRun.name == job.name, JobRun.next_run_at <= now)
        .values(next_run_at=now + job.every, last_started_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    return bool(won)


def run_due_jobs(now: datetime, *, jobs: list[Job] | None = None, stopping=lambda: False) -> list[str]:
    """Run each job whose turn it is and that no other worker has claimed; returns the names run."""
    ran = []
    for job in JOBS if jobs is None else jobs:
        if stopping() or not claim_run(job, now):
            continue
        with links_to_the_shop():  # jobs may record emails with links in them
            try:
                outcome = job.run(now)
            except Exception as error:  # the next run tries again; the worker carries on
                db.session.rollback()
                log.exception("job %s failed", job.name)
                outcome = f"failed: {type(error).__name__}: {error}"
        db.session.execute(update(JobRun).where(JobRun.name == job.name).values(last_result=outcome[:1000])
                           .execution_options(synchronize_session=False))
        db.session.commit()
        ran.append(job.name)
    return ran
