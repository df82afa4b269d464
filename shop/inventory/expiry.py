"""The worker's daily look at dates: expired and short-dated lots leave sale, and admins get one
digest a day of the lots expiring in the next 90 days, so they can sell, move or return them.

The job runs hourly so a lot leaves sale soon after midnight; both halves are idempotent (a lot
leaves sale once, conditional on it being sellable; the digest's day is a primary key), so two
workers, or a run that dies half-way, never double anything.
"""
from datetime import date, datetime

from flask import render_template
from sqlalchemy.exc import IntegrityError

from shop.extensions import db
from shop.inventory.ledger import admin_emails
from shop.inventory.lots import expiring_within, min_shelf_life_days, months_left, withdraw_stale_lots
from shop.inventory.models import ExpiryDigest
from shop.messages.outbox import record_message

DIGEST_DAYS = 90


def check_expiry(now: datetime) -> str:
    today = now.date()
    withdrawn = withdraw_stale_lots(today)
    db.session.commit()
    digest = record_expiry_digest(today)
    return f"withdrew {len(withdrawn)} lot(s); " + (f"digest of {digest} lot(s) recorded" if digest is not None
                                                     else "digest already recorded today")


def record_expiry_digest(today: date) -> int | None:
    """Record today's digest for every admin, once; returns how many lots it lists (None if already done)."""
    lots = expiring_within(today, DIGEST_DAYS)
    try:
        with db.session.begin_nested():
            db.session.add(ExpiryDigest(day=today, lots=len(lots)))
    except IntegrityError:
        db.session.rollback()
        return None
    if lots:
        text = render_template("email/expiry_digest.txt", lots=lots, today=today, days=DIGEST_DAYS,
                               min_days=min_shelf_life_days(), months_left=months_left)
        for email in admin_emails():
            record_message(email, f"Expiring in the next {DIGEST_DAYS} days: {len(lots)} lot(s)", text,
                           kind="expiry_digest", about=("expiry_digest", int(today.strftime("%Y%m%d"))))
    db.session.commit()
    return len(lots)
