"""The worker: claims due messages, delivers them, retries with backoff, and runs the periodic jobs.

Claiming is one short transaction: the due rows are locked with `FOR UPDATE SKIP LOCKED` on
PostgreSQL (two workers never wait for, nor take, each other's rows; SQLite has one writer at
a time and ignores the clause, and the conditional UPDATE decides there), marked `sending`
and leased until `claimed_until`. The mail server is talked to outside any transaction. A
worker killed outright leaves its rows `sending`; once the lease is over any worker takes them
again. So a message goes at least once, never zero times (and the stable Message-ID lets mail
systems drop the rare duplicate).

Every function takes `now`: nothing here reads the clock but the loop in `run`.
"""
import logging
import signal
import smtplib
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import and_, or_, select, update
from sqlalchemy.exc import InterfaceError, OperationalError

from shop.clock import utcnow
from shop.extensions import db
from shop.mail import Mailer
from shop.messages.models import Message

log = logging.getLogger(__name__)

FIRST_RETRY = timedelta(minutes=1)
LONGEST_WAIT = timedelta(hours=4)


def backoff(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failed try: a minute, then doubling, at most four hours."""
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LONGEST_WAIT)


@dataclass
class Claimed:
    """A plain copy of a claimed message: no transaction stays open while the mail server answers."""
    id: int
    recipient: str
    subject: str
    text_body: str
    html_body: str | None
    message_id: str
    attempts: int
    give_up_after: datetime
    list_unsubscribe: str | None = None


@dataclass
class Delivery:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    sent_ids: list[int] = field(default_factory=list)

    @property
    def handled(self) -> int:
        return self.sent + self.retrying + self.failed


def _due(now: datetime):
    return or_(and_(Message.status == "pending", Message.next_attempt_at <= now),
               and_(Message.status == "sending", Message.claimed_until < now))  # a lease run out: its worker died


def claim_due(now: datetime, *, limit: int, lease: timedelta) -> list[Claimed]:
    """Take up to `limit` due messages for this worker until now + lease, oldest due first, and commit."""
    ids = db.session.scalars(
        select(Message.id).where(_due(now)).order_by(Message.next_attempt_at, Message.id).limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    if not ids:
        db.session.rollback()
        return []
    rows = db.session.execute(
        update(Message).where(Message.id.in_(ids), _due(now))
        .values(status="sending", claimed_until=now + lease)
        .returning(Message.id, Message.recipient, Message.subject, Message.text_body, Message.html_body,
                   Message.message_id, Message.attempts, Message.give_up_after, Message.list_unsubscribe)
        .execution_options(synchronize_session=False)
    ).all()
    db.session.commit()
    return sorted((Claimed(*row) for row in rows), key=lambda m: ids.index(m.id))


def _permanent(error: Exception) -> bool:
    """The server said no for good (5xx to the recipient or the message): trying again cannot help."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in error.recipients.values())
    return isinstance(error, smtplib.SMTPDataError) and error.smtp_code >= 500


def _sent(message: Claimed, now: datetime) -> None:
    db.session.execute(
        update(Message).where(Message.id == message.id, Message.status == "sending")
        .values(status="sent", sent_at=now, attempts=message.attempts + 1, claimed_until=None)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def _not_sent(message: Claimed, error: Exception, now: datetime) -> str:
    attempts = message.attempts + 1
    status = "failed" if _permanent(error) or now >= message.give_up_after else "pending"
    db.session.execute(
        update(Message).where(Message.id == message.id, Message.status == "sending")
        .values(status=status, attempts=attempts, claimed_until=None, next_attempt_at=now + backoff(attempts),
                last_error=f"{type(error).__name__}: {error}"[:1000])
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return status


def _let_go(ids: list[int]) -> None:
    """Give back claimed messages this worker will not send (it is stopping), for any worker to take now."""
    if ids:
        db.session.execute(
            update(Message).where(Message.id.in_(ids), Message.status == "sending")
            .values(status="pending", claimed_until=None).execution_options(synchronize_session=False)
        )
        db.session.commit()


def deliver_batch(now: datetime, *, limit: int | None = None, lease: timedelta | None = None,
                  stopping=lambda: False) -> Delivery:
    """Claim one batch and deliver it. When `stopping()` turns true, the message in hand is finished
    and the rest of the batch is given back."""
    config = current_app.config
    batch = claim_due(now, limit=limit or config["WORKER_BATCH"],
                      lease=lease or timedelta(seconds=config["WORKER_LEASE_SECONDS"]))
    result = Delivery()
    with Mailer() as mailer:  # one SMTP connection for the batch
        for position, message in enumerate(batch):
            if stopping():
                _let_go([m.id for m in batch[position:]])
                break
            try:
                mailer.send(message.recipient, message.subject, message.text_body, message.html_body,
                            message_id=message.message_id, list_unsubscribe=message.list_unsubscribe)
            except Exception as error:  # one bad message or a mail server outage must not stop the worker
                log.warning("message %s to %s not sent: %s", message.id, message.recipient, error)
                if _not_sent(message, error, now) == "failed":
                    result.failed += 1
                else:
                    result.retrying += 1
                continue
            _sent(message, now)
            result.sent += 1
            result.sent_ids.append(message.id)
    return result


def drain(now: datetime, *, stopping=lambda: False, **options) -> Delivery:
    """Deliver every message due at `now`, batch after batch (a failed one waits for its next attempt)."""
    total = Delivery()
    while not stopping():
        result = deliver_batch(now, stopping=stopping, **options)
        total.sent, total.retrying, total.failed = (total.sent + result.sent, total.retrying + result.retrying,
                                                    total.failed + result.failed)
        total.sent_ids += result.sent_ids
        if not result.handled:
            break
    return total


def run(*, once: bool = False, clock=utcnow, stop: threading.Event | None = None, echo=print) -> None:
    """The worker's loop: periodic jobs and deliveries until `stop` is set (SIGTERM, Ctrl-C)."""
    from shop.messages.jobs import run_due_jobs

    stop = stop or threading.Event()
    poll = current_app.config["WORKER_POLL_SECONDS"]
    away = 0  # rounds in a row the database could not be reached
    while not stop.is_set():
        now = clock()
        try:
            ran = run_due_jobs(now, stopping=stop.is_set)
            result = drain(now, stopping=stop.is_set) if once else deliver_batch(now, stopping=stop.is_set)
        except (OperationalError, InterfaceError) as error:
            # The database is away (restart, network): nothing is lost, since every claim and every
            # 'sent' is its own short transaction. Wait, longer each time, and carry on when it is back.
            db.session.remove()
            if once:
                raise
            away += 1
            wait = database_backoff(away, poll)
            log.warning("database unreachable (%s); trying again in %.2f s", type(error).__name__, wait)
            echo(f"{now:%Y-%m-%d %H:%M:%S} database unreachable; trying again in {wait:.2f} s")
            stop.wait(wait)
            continue
        if away:
            echo(f"{now:%Y-%m-%d %H:%M:%S} database back after {away} failed round{'s' if away != 1 else ''}")
            away = 0
        if result.handled or ran:
            echo(f"{now:%Y-%m-%d %H:%M:%S} sent {result.sent}, retrying {result.retrying}, failed {result.failed}"
                 + (f"; ran {', '.join(ran)}" if ran else ""))
        if once:
            break
        if not result.handled:
            stop.wait(poll)
        db.session.remove()  # a fresh session each round: nothing read in one round is trusted in the next


DATABASE_WAIT_LONGEST = 30.0


def database_backoff(rounds_away: int, poll: float) -> float:
    """Seconds to wait after the database failed `rounds_away` rounds in a row: the poll, doubling, at most 30 s."""
    return min(max(poll, 0.05) * 2 ** min(rounds_away - 1, 20), DATABASE_WAIT_LONGEST)


@contextmanager
def stopped_by_signals(stop: threading.Event):
    """While inside, SIGTERM and SIGINT ask the loop to stop once the message in hand is finished."""
    def ask_to_stop(signum, frame):
        stop.set()

    before = {sig: signal.signal(sig, ask_to_stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for sig, handler in before.items():
            signal.signal(sig, handler)
