"""The shop's one reading of the clock.

Times are stored as naive UTC (the columns carry no zone, on SQLite and PostgreSQL alike).
Business rules take `now` as an argument where tests need to fix it; this is the default.
"""
from datetime import datetime, timezone


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)
