"""Retention: accounts whose email was never confirmed are removed after the period the privacy
notice states (shop/legal/policy.py RETENTION, "unconfirmed"). The worker runs it (shop/messages/jobs.py)."""
from datetime import datetime, timedelta

from sqlalchemy import delete, select

from shop.accounts.models import User
from shop.extensions import db
from shop.legal.policy import retention


def remove_unconfirmed_accounts(now: datetime) -> str:
    """Idempotent: deletes what is past its time now; never a confirmed account or an admin."""
    cutoff = now - timedelta(days=retention("unconfirmed").days)
    stale = select(User.id).where(User.email_verified_at.is_(None), User.created_at < cutoff, User.role != "admin")
    removed = db.session.execute(delete(User).where(User.id.in_(stale)).execution_options(synchronize_session=False)).rowcount
    db.session.commit()
    return f"removed {removed} unconfirmed account{'s' if removed != 1 else ''} older than {retention('unconfirmed').days} days"
