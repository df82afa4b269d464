"""The worker against a real SMTP server: backoff, giving up, refusals, slowness, SIGTERM, SIGKILL, two workers."""
import signal
from collections import Counter
from datetime import datetime, timedelta

import pytest

from shop.extensions import db
from shop.messages.outbox import record_message
from shop.messages.worker import backoff, drain
from tests.messages.support import messages, start_worker, stop, wait_until

T0 = datetime(2026, 3, 2, 9, 0, 0)


def record(n=1, *, now=T0, to="client{}@example.com"):
    for i in range(n):
        record_message(to.format(i), f"Message {i}", f"Body {i}", kind="test", about=("test", i), now=now)
    db.session.commit()


def deliver(app, now):
    with app.app_context():
        return drain(now)


def test_backoff_starts_at_a_minute_doubles_and_stops_at_four_hours():
    assert [backoff(n) for n in (1, 2, 3, 4)] == [timedelta(minutes=m) for m in (1, 2, 4, 8)]
    assert backoff(9) == timedelta(hours=4) and backoff(30) == timedelta(hours=4)


def test_a_message_waits_longer_after_each_failure_and_fails_after_a_day_of_trying(app, smtp):
    record()
    smtp.stop()  # nothing listens on the port any more
    now, waits = T0, []
    while messages()[0].status == "pending":
        assert deliver(app, now).handled == 1
        message = messages()[0]
        assert "Connection refused" in message.last_error or "Errno 111" in message.last_error
        if message.status == "pending":
            assert deliver(app, message.next_attempt_at - timedelta(seconds=1)).handled == 0  # not before its time
            waits.append(message.next_attempt_at - now)
            now = message.next_attempt_at
    assert waits[:5] == [timedelta(minutes=m) for m in (1, 2, 4, 8, 16)]
    assert max(waits) == timedelta(hours=4)
    failed = messages()[0]
    assert failed.status == "failed" and now >= T0 + timedelta(days=1)
    assert failed.attempts == len(waits) + 1 and failed.sent_at is None
    assert deliver(app, now + timedelta(days=7)).handled == 0  # failed stays failed until someone sends it again


def test_a_refused_recipient_fails_at_once_and_the_rest_of_the_batch_goes(app, smtp):
    record(3)
    smtp.refuse("client1@example.com")
    result = deliver(app, T0)
    assert (result.sent, result.failed) == (2, 1)
    by_recipient = {m.recipient: m for m in messages()}
    refused = by_recipient["client1@example.com"]
    assert refused.status == "failed" and "550" in refused.last_error and refused.attempts == 1
    assert sorted(r.to for r in smtp.received) == ["client0@example.com", "client2@example.com"]


def test_a_server_slower_than_the_timeout_is_tried_again_later_with_the_same_message_id(app, smtp):
    record()
    smtp.mode = "slow"
    assert deliver(app, T0).retrying == 1
    waiting = messages()[0]
    assert waiting.status == "pending" and "timed out" in waiting.last_error
    smtp.release()
    smtp.mode = "accept"
    assert deliver(app, waiting.next_attempt_at).sent == 1
    # The slow server kept the first copy after the client had given up: both carry one Message-ID,
    # so the receiving mail system can drop the duplicate.
    assert set(smtp.message_ids()) == {waiting.message_id}
    assert messages()[0].status == "sent"


def test_sigterm_finishes_the_message_in_hand_then_the_worker_exits(app, smtp, database_url, tmp_path):
    record(5, now=T0)
    smtp.hold_after(1)  # the second message is held at the server while the worker waits for its answer
    worker = start_worker(database_url, tmp_path / "w", smtp, WORKER_BATCH=5)
    try:
        wait_until(smtp.holding.is_set, what="the worker to be in the middle of the second message")
        worker.send_signal(signal.SIGTERM)
        smtp.release()
        assert worker.wait(timeout=30) == 0
    finally:
        stop(worker, signal.SIGKILL)
    statuses = [m.status for m in messages()]
    assert statuses == ["sent", "sent", "pending", "pending", "pending"]  # the rest given back, for any worker
    assert [r.to for r in smtp.received] == ["client0@example.com", "client1@example.com"]
    assert "Worker stopped." in (tmp_path / "w" / "worker.log").read_text()


def test_a_worker_killed_mid_batch_loses_nothing_once_another_takes_over_after_the_lease(app, smtp, database_url, tmp_path):
    record(10, now=T0)
    smtp.hold_after(3)
    first = start_worker(database_url, tmp_path / "w", smtp, WORKER_BATCH=10, WORKER_LEASE_SECONDS=2, log_name="first")
    try:
        wait_until(smtp.holding.is_set, what="the worker to be in the middle of the fourth message")
        first.kill()
        first.wait(timeout=30)
    finally:
        stop(first, signal.SIGKILL)
    in_flight = smtp.held.message_id
    smtp.release()  # it never said 250 to the dead worker, so the server does not keep it
    assert [m.status for m in messages()] == ["sent"] * 3 + ["sending"] * 7  # claimed by a dead worker
    assert len(smtp.received) == 3

    second = start_worker(database_url, tmp_path / "w", smtp, WORKER_LEASE_SECONDS=2, log_name="second")
    try:
        wait_until(lambda: all(m.status == "sent" for m in messages()), what="every message to be sent")
    finally:
        assert stop(second) == 0
    copies = Counter(smtp.message_ids())
    assert set(copies) == {m.message_id for m in messages()} and in_flight in copies  # nothing lost
    assert set(copies.values()) == {1}


@pytest.mark.postgres_only
def test_two_workers_on_postgresql_drain_five_hundred_messages_each_sent_exactly_once(app, smtp, database_url, tmp_path):
    record(500, now=T0)
    smtp.gather(2)  # the first message waits until both workers are connected, each with a batch in hand
    workers = [start_worker(database_url, tmp_path / "w", smtp, "--once", WORKER_BATCH=10, log_name=f"w{n}")
               for n in range(2)]
    try:
        assert [w.wait(timeout=120) for w in workers] == [0, 0]
    finally:
        for w in workers:
            stop(w, signal.SIGKILL)
    assert [m.status for m in messages()] == ["sent"] * 500
    copies = Counter(smtp.message_ids())
    assert len(copies) == 500 and set(copies.values()) == {1}

