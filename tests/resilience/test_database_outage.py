"""The database goes away while the shop is serving, then comes back.

PostgreSQL: the app talks to the server through a TCP proxy that the test cuts (open
connections die, new ones are refused) and restores on the same port, as a network outage
or a database restart looks to the app.

SQLite has no network to lose: what takes it away from the app is another process holding
the write lock (a backup, a migration, a stuck writer), so every statement fails with
"database is locked". The test holds that lock from a second connection. The app's busy
wait (5 s by default) is shortened to 0.2 s so the test stays quick.

Either way the shop must answer 503 with its friendly page (and /healthz 503), never a 500
or a traceback, write nothing half-done, and serve again by itself once the database is back:
no restart, no manual reconnect.
"""
import re
import sqlite3
from contextlib import contextmanager

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.engine import make_url

from shop.config import normalise_database_url
from shop.extensions import db
from shop.orders.models import Order
from tests import factories as make
from tests.helpers import csrf_token, deliver_by_standard, stock_of
from tests.conftest import PG_URL
from tests.resilience.proxy import TcpProxy

PAGES = ["/", "/products", "/products?category=oils&sort=price", "/products/grapeseed-oil", "/guides", "/cart"]
LEAKS = ("Traceback", "OperationalError", "psycopg", "sqlite3", "SELECT ", "File \"")


@pytest.fixture
def proxy(backend):
    """For PostgreSQL, a proxy in front of the server; None for SQLite."""
    if backend != "postgresql":
        yield None
        return
    url = make_url(normalise_database_url(PG_URL))
    with TcpProxy((url.host or "127.0.0.1", url.port or 5432)) as running:
        yield running


@pytest.fixture
def database_url(database_url, proxy):
    """The conftest's database, reached through the proxy on PostgreSQL (the app fixture uses this)."""
    if proxy is None:
        return database_url
    return make_url(database_url).set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)


@pytest.fixture
def short_busy_wait(app, backend):
    if backend == "sqlite":

        @event.listens_for(db.engine, "connect")
        def busy_timeout(dbapi_connection, _record):
            dbapi_connection.execute("PRAGMA busy_timeout = 200")

        db.engine.dispose()


@contextmanager
def outage(backend, proxy, database_url):
    if backend == "postgresql":
        proxy.cut()
        try:
            yield
        finally:
            proxy.restore()
        return
    holder = sqlite3.connect(make_url(database_url).database, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        yield
    finally:
        holder.execute("ROLLBACK")
        holder.close()


@pytest.fixture
def shop(app, short_busy_wait):
    oil = make.product("Grapeseed Oil", slug="grapeseed-oil", category_slug="oils", sizes=((100, 699, 10),))
    make.guide("Patch testing", slug="patch-testing", products=[oil])
    return oil


def assert_friendly_503(response, url):
    html = response.get_data(as_text=True)
    assert response.status_code == 503, (url, response.status_code, html[-800:])
    assert "be back shortly" in html, url
    assert "trouble reaching its stock room" in html, url
    for leak in LEAKS:
        assert leak not in html, (url, leak)


def orders() -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count(Order.id)))


def test_pages_answer_503_while_the_database_is_away_and_recover_by_themselves(
    app, client, shop, backend, proxy, database_url
):
    for url in PAGES:
        assert client.get(url).status_code == 200, url
    token = csrf_token(client, "/products/grapeseed-oil")
    deliver_by_standard(client)
    assert client.post("/cart/add", data={"variant_id": shop.variants[0].id, "quantity": 2, "csrf_token": token}).status_code == 303
    db.session.close()  # the test's own session gives its connection back, like a finished request

    with outage(backend, proxy, database_url):
        for url in PAGES:
            assert_friendly_503(client.get(url), url)
        health = client.get("/healthz")
        assert health.status_code == 503
        assert health.get_json() == {"status": "unavailable", "database": "unreachable"}
        # A form posted during the outage: refused kindly, nothing written.
        assert_friendly_503(
            client.post("/cart/add", data={"variant_id": shop.variants[0].id, "quantity": 1, "csrf_token": token}),
            "/cart/add",
        )
        assert_friendly_503(client.post("/checkout", data={"csrf_token": token}), "/checkout")

    # Back: the very same app serves again, with no restart.
    assert client.get("/healthz").get_json()["status"] == "ok"
    for url in PAGES:
        assert client.get(url).status_code == 200, url
    cart = client.get("/cart").get_data(as_text=True)
    assert "Grapeseed Oil" in cart
    assert re.search(r'name="quantity"[^>]*value="2"|value="2"[^>]*name="quantity"', cart), "the cart kept 2, not 3"
    assert orders() == 0 and stock_of(shop.variants[0].id) == 10
    # And checkout works now.
    assert client.post("/checkout", data={"csrf_token": token}).status_code == 303
    assert orders() == 1 and stock_of(shop.variants[0].id) == 8


def test_healthz_notices_a_database_it_cannot_read(app, client, shop, backend, proxy, database_url):
    """/healthz is what a load balancer watches: it must go red exactly when pages would fail."""
    assert client.get("/healthz").status_code == 200
    with outage(backend, proxy, database_url):
        assert client.get("/healthz").status_code == 503
        assert client.get("/healthz").status_code == 503  # and stays red, not just the first probe
    assert client.get("/healthz").status_code == 200


def test_a_cached_pages_connection_found_dead_is_replaced_without_an_error(app, client, shop, backend):
    """The server ended the page cache's kept connection (a restart, an idle timeout): the next hit
    finds it dead, opens another and answers, with no 503 for the visitor."""
    if backend != "postgresql":
        pytest.skip("SQLite reads the versions through the request's session")
    from sqlalchemy import text

    reader = app.extensions["page_cache"].reader
    client.get("/products")
    assert client.get("/products").headers["X-Page-Cache"] == "hit"
    [(kept, _cursor)] = reader._idle
    ended = kept.dbapi_connection.info.backend_pid
    assert db.session.scalar(text("SELECT pg_terminate_backend(:pid, 5000)"), {"pid": ended})
    db.session.commit()

    answer = client.get("/products")
    assert (answer.status_code, answer.headers["X-Page-Cache"]) == (200, "hit")
    [(replacement, _cursor)] = reader._idle
    assert replacement.dbapi_connection.info.backend_pid != ended
