"""The worker keeps running through a database outage: it logs, waits longer each time, and carries on.

PostgreSQL through the TCP proxy (tests/resilience/proxy.py), cut and restored on the same port,
as a database restart or a network failure looks to the worker. The worker runs its real loop in
a thread; the test waits on what it can see (emails in the outbox folder, the worker's log lines).
"""
import threading
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from shop.config import normalise_database_url
from shop.extensions import db
from shop.messages.outbox import record_message
from shop.messages.worker import database_backoff, run
from tests.conftest import PG_URL
from tests.messages.support import wait_until
from tests.resilience.proxy import TcpProxy


@pytest.fixture
def proxy(backend):
    if backend != "postgresql":
        pytest.skip("a network outage needs PostgreSQL: run with TEST_DATABASE_URL")
    url = make_url(normalise_database_url(PG_URL))
    with TcpProxy((url.host or "127.0.0.1", url.port or 5432)) as running:
        yield running


@pytest.fixture
def database_url(database_url, proxy):
    return make_url(database_url).set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)


@pytest.fixture
def app_settings():
    return {"WORKER_POLL_SECONDS": 0.05}


def delivered(app) -> list[Path]:
    folder = Path(app.instance_path) / "outbox"
    return sorted(folder.glob("*.eml")) if folder.exists() else []


def test_database_backoff_doubles_from_the_poll_and_stops_at_thirty_seconds():
    assert [database_backoff(n, 2) for n in (1, 2, 3, 4, 5, 6)] == [2, 4, 8, 16, 30, 30]


@pytest.mark.postgres_only  # the outage is a cut TCP link to PostgreSQL; SQLite has no link to cut
def test_the_worker_waits_out_a_database_outage_and_delivers_what_came_in_after(app, proxy):
    record_message("before@example.com", "Before", "Body", kind="test")
    db.session.commit()
    lines, stop = [], threading.Event()

    def worker():
        with app.app_context():
            run(stop=stop, echo=lines.append)

    thread = threading.Thread(target=worker, daemon=True)
    thread.start()
    try:
        wait_until(lambda: len(delivered(app)) == 1, what="the first email")
        proxy.cut()
        wait_until(lambda: sum("database unreachable" in line for line in lines) >= 3, what="the worker noticing")
        assert thread.is_alive()
        waits = [float(line.split("again in ")[1].split()[0]) for line in lines if "database unreachable" in line]
        assert waits[:3] == sorted(waits[:3]) and waits[1] > waits[0]  # it waits longer each time

        proxy.restore()
        db.session.rollback()  # the test's own connection died in the outage too
        record_message("after@example.com", "After", "Body", kind="test")
        db.session.commit()
        wait_until(lambda: len(delivered(app)) == 2, what="the email recorded after the outage")
        wait_until(lambda: any("database back after" in line for line in lines), what="the worker saying so")  # written after the batch
    finally:
        stop.set()
        thread.join(timeout=30)
    assert not thread.is_alive()
    assert sorted(p.read_text().count("To: ") for p in delivered(app)) == [1, 1]  # each once
