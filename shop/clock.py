"""The shop's one reading of the clock.

Times are stored as naive UTC (the columns carry no zone, on SQLite and PostgreSQL alike).
Business rules take `now` as an argument where tests need to fix it; this is the default.
"""
from datetime import datetime, timezone
from zoneinfo import ZoneInfo


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


UK = ZoneInfo("Europe/London")


def uk_month(now: datetime) -> tuple[datetime, datetime]:
    """The calendar month `now` (naive UTC) falls in, as the shop's customers count months (UK time: an
    order at 00:30 BST on 1 June is June's): its first moment and the next month's, as naive UTC."""
    local = now.replace(tzinfo=timezone.utc).astimezone(UK)
    start = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    following = (start.replace(year=start.year + 1, month=1) if start.month == 12 else start.replace(month=start.month + 1))
    # Built as wall-clock times, each with its own UTC offset (GMT or BST).
    return tuple(t.replace(tzinfo=UK).astimezone(timezone.utc).replace(tzinfo=None) for t in (start, following))
