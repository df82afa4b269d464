"""How long the text of a sent email is kept: the period the privacy notice states
(shop/legal/policy.py RETENTION, "messages"). After it the worker deletes the email's text; who
it went to, when, its subject and Message-ID stay, so the shop can still see what it told whom."""
from datetime import datetime, timedelta

from sqlalchemy import or_, update

from shop.extensions import db
from shop.legal.policy import retention
from shop.messages.models import Message

FINISHED = ("sent", "failed")  # a pending email is still to be delivered: its text is kept


def forget_old_email_texts(now: datetime) -> str:
    """Idempotent: blanks the bodies of finished emails older than the period, once."""
    days = retention("messages").days
    forgotten = db.session.execute(
        update(Message)
        .where(Message.status.in_(FINISHED), Message.created_at < now - timedelta(days=days),
               or_(Message.text_body != "", Message.html_body.is_not(None)))
        .values(text_body="", html_body=None)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    return f"deleted the text of {forgotten} email{'s' if forgotten != 1 else ''} older than {days} days"
