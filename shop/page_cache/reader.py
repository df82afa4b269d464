"""Where a page's versions are read: on PostgreSQL, a connection of their own in autocommit.

A cache hit runs one query, the versions. Through the request's session that one query cost four
round trips to the server: the pool's liveness ping (pool_pre_ping), BEGIN, the query and the
ROLLBACK when the session closes; under load each round trip is a wait for a busy server, and the
hit went at the pace of those waits. On a connection in autocommit the query is one round trip, and
a statement in autocommit sees every transaction committed before it started, as one in the
session's READ COMMITTED transaction does, so the versions are exactly as fresh.

The ping is replaced by a retry: a kept connection found dead by the query itself (the server
restarted, the network dropped) is closed with the other kept ones and the query runs once more on
a new connection, so the shop still recovers by itself after an outage; if the server is still
away, the error goes to the usual 503 page.

SQLite has no server to wait for (a query is a call into the library, BEGIN is not sent for a read):
there the versions are read through the request's session, as before.
"""
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

from shop.extensions import db


# Versions rows are read by position only. Without this, each read of a statement built once but
# compiled from an equal one (the listing's, after a catalogue change) matched its columns by name
# again, building SQL comparisons to do it (the option the ORM itself sets; ignored if it goes).
_BY_POSITION = {"_result_disable_adapt_to_context": True}


class VersionReader:
    def __init__(self, url: str):
        self.url = url
        self.own_connection = make_url(url).get_backend_name() == "postgresql"
        self._engine = None
        # Open connections not in use, last used first: one per worker thread that reads at once. Kept
        # here rather than checked in and out of a pool on every read, which cost more than the query
        # (a reset, events, new wrappers); no transaction is ever open on them (autocommit).
        self._idle: list = []

    @property
    def engine(self):
        """Made at first use: in a gunicorn worker, after the fork (a connection must not cross one)."""
        if self._engine is None and self.own_connection:
            self._engine = create_engine(self.url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
        return self._engine

    def rows(self, statement, params=None) -> list:
        if not self.own_connection:
            return db.session.execute(statement, params).all()
        try:
            return self._rows(statement, params)
        except DBAPIError as error:
            if not error.connection_invalidated:
                raise
            self._close_idle()  # gone with the server too, most likely
            return self._rows(statement, params)

    def _rows(self, statement, params) -> list:
        try:
            connection = self._idle.pop()
        except IndexError:
            connection = self.engine.connect()
        try:
            rows = connection.execute(statement, params, execution_options=_BY_POSITION).all()
        except BaseException:
            connection.close()  # whatever it was, the next read starts on a new connection
            raise
        self._idle.append(connection)
        return rows

    def _close_idle(self) -> None:
        while self._idle:
            try:
                self._idle.pop().close()
            except IndexError:  # another thread took the last one
                break

    def dispose(self) -> None:
        self._close_idle()
        if self._engine is not None:
            self._engine.dispose()
