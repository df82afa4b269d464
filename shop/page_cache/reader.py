"""Where a page's versions are read: on PostgreSQL, a connection of their own in autocommit.

A cache hit runs one query, the versions. Through the request's session that one query cost four
round trips to the server: the pool's liveness ping (pool_pre_ping), BEGIN, the query and the
ROLLBACK when the session closes; under load each round trip is a wait for a busy server, and the
hit went at the pace of those waits. On a connection in autocommit the query is one round trip, and
a statement in autocommit sees every transaction committed before it started, as one in the
session's READ COMMITTED transaction does, so the versions are exactly as fresh.

The ping is replaced by a retry: a pooled connection found dead by the query itself (the server
restarted, the network dropped) invalidates the pool and the query runs once more on a new
connection, so the shop still recovers by itself after an outage; if the server is still away, the
error goes to the usual 503 page.

SQLite has no server to wait for (a query is a call into the library, BEGIN is not sent for a read):
there the versions are read through the request's session, as before.
"""
import threading

from sqlalchemy import create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from shop.extensions import db


class VersionReader:
    def __init__(self, url: str):
        self.url = url
        self.own_connection = make_url(url).get_backend_name() == "postgresql"
        self._engine = None
        self._lock = threading.Lock()

    @property
    def engine(self):
        """Made at first use: in a gunicorn worker, after the fork (a connection must not cross one)."""
        if self._engine is None and self.own_connection:
            with self._lock:
                if self._engine is None:
                    self._engine = create_engine(self.url, isolation_level="AUTOCOMMIT", pool_size=2, max_overflow=20)
        return self._engine

    def rows(self, statement, params=None) -> list:
        if not self.own_connection:
            return db.session.execute(statement, params).all()
        try:
            return self._rows(statement, params)
        except DBAPIError as error:
            if not error.connection_invalidated:
                raise
            return self._rows(statement, params)

    def _rows(self, statement, params) -> list:
        with self.engine.connect() as connection:
            return connection.execute(statement, params).all()

    def dispose(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
