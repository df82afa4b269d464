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

The statement is run on the driver's cursor directly, compiled once per statement object (the keys'
statements are built once and kept): SQLAlchemy's execute, for one narrow query, cost about as much
again as the driver's own work (its compiled cache's key, an execution context, a result, rows).
The driver still sends the same SQL and parameters, and psycopg prepares a statement it sees again.

SQLite has no server to wait for (a query is a call into the library, BEGIN is not sent for a read):
there the versions are read through the request's session, as before.
"""
from weakref import WeakKeyDictionary

from sqlalchemy import create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

from shop.extensions import db


class CompiledQuery:
    """A statement as the driver takes it: its SQL, the values of the parameters it carries, and
    where a value given at execution goes (SQLAlchemy may name a bound parameter other than its key).
    A parameter rendered into the SQL itself (literal_execute) is put in at execution, as SQLAlchemy does."""

    def __init__(self, statement, dialect):
        compiled = statement.compile(dialect=dialect)
        self.sql = compiled.string
        in_sql = compiled.literal_execute_params | compiled.post_compile_params
        self._expanding = compiled if in_sql else None
        # The SQL for each set of numbers written into it (a listing's pages), kept: making it costs
        # about 10 µs. Not for a list expanded into IN (...), whose parameters it names anew.
        self._in_sql = None if compiled.post_compile_params else [compiled.bind_names[b] for b in in_sql]
        self._written: dict[tuple, tuple[str, tuple]] = {}
        processors = {}
        for bind, name in compiled.bind_names.items():
            processor = bind.type.dialect_impl(dialect).bind_processor(dialect)
            if processor is not None and bind not in in_sql:
                processors[name] = processor
        self.names = {bind.key: name for bind, name in compiled.bind_names.items()}
        self.processors = processors
        self.defaults = self._processed(dict(compiled.params))
        columns = [column.type.dialect_impl(dialect).result_processor(dialect, None)
                   for column in statement.selected_columns]
        self.row_processors = columns if any(columns) else None

    def sql_and_values(self, params) -> tuple[str, dict]:
        values = self.defaults
        if params:
            given = {self.names.get(key, key): value for key, value in params.items()}
            values = {**self.defaults, **self._processed(given)}
        if self._expanding is None:
            return self.sql, values
        if self._in_sql is None:
            expanded = self._expanding.construct_expanded_state(values)
            return expanded.statement, expanded.parameters
        numbers = tuple(values[name] for name in self._in_sql)
        written = self._written.get(numbers)
        if written is None:
            expanded = self._expanding.construct_expanded_state(values)
            written = (expanded.statement, tuple(expanded.parameters))
            if len(self._written) < 2000:  # the pages of a filter, not every number a client can send
                self._written[numbers] = written
        sql, names = written
        return sql, {name: values[name] for name in names}

    def _processed(self, values: dict) -> dict:
        for name, processor in self.processors.items():
            if name in values:
                values[name] = processor(values[name])
        return values

    def rows(self, fetched: list) -> list:
        if self.row_processors is None:
            return fetched
        return [tuple(value if process is None else process(value) for process, value in zip(self.row_processors, row))
                for row in fetched]


class VersionReader:
    def __init__(self, url: str):
        self.url = url
        self.own_connection = make_url(url).get_backend_name() == "postgresql"
        self._engine = None
        # Open connections not in use, last used first: one per worker thread that reads at once. Kept
        # here rather than checked in and out of a pool on every read, which cost more than the query
        # (a reset, events, new wrappers); no transaction is ever open on them (autocommit).
        self._idle: list = []
        # Weak: a statement built for one request takes its compiled form with it when it goes.
        self._compiled = WeakKeyDictionary()

    @property
    def engine(self):
        """Made at first use: in a gunicorn worker, after the fork (a connection must not cross one)."""
        if self._engine is None and self.own_connection:
            self._engine = create_engine(self.url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
        return self._engine

    def rows(self, statement, params=None) -> list:
        if not self.own_connection:
            return db.session.execute(statement, params).all()
        query = self._compiled.get(statement)
        if query is None:
            query = self._compiled[statement] = CompiledQuery(statement, self.engine.dialect)
        sql, values = query.sql_and_values(params)
        try:
            return query.rows(self._rows(sql, values))
        except DBAPIError as error:
            if not error.connection_invalidated:
                raise
            self._close_idle()  # gone with the server too, most likely
            return query.rows(self._rows(sql, values))

    def _rows(self, sql: str, values: dict) -> list:
        try:
            connection, cursor = self._idle.pop()
        except IndexError:
            connection, cursor = self._connect()
        try:
            rows = self._fetch(cursor, sql, values)
        except BaseException as error:
            dialect = self.engine.dialect
            gone = isinstance(error, dialect.loaded_dbapi.Error) and dialect.is_disconnect(
                error, connection.dbapi_connection, cursor)
            connection.close()  # whatever it was, the next read starts on a new connection
            if isinstance(error, dialect.loaded_dbapi.Error):
                # As SQLAlchemy raises it: the shop's 503 page and the retry above know its errors.
                raise DBAPIError.instance(sql, values, error, dialect.loaded_dbapi.Error,
                                          connection_invalidated=gone, dialect=dialect) from error
            raise
        self._idle.append((connection, cursor))
        return rows

    def _connect(self):
        dialect = self.engine.dialect
        try:
            connection = self.engine.raw_connection()
        except dialect.loaded_dbapi.Error as error:  # the server is away: SQLAlchemy's error, for the 503 page
            raise DBAPIError.instance(None, None, error, dialect.loaded_dbapi.Error, dialect=dialect) from error
        return connection, connection.dbapi_connection.cursor()

    @staticmethod
    def _fetch(cursor, sql: str, values: dict) -> list:
        cursor.execute(sql, values)
        return cursor.fetchall()

    def _close_idle(self) -> None:
        while self._idle:
            try:
                self._idle.pop()[0].close()
            except IndexError:  # another thread took the last one
                break

    def dispose(self) -> None:
        self._close_idle()
        if self._engine is not None:
            self._engine.dispose()
