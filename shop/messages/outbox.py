"""Recording a message with the change that causes it.

`record_message` only adds a row to the caller's transaction: the paid order and its
confirmation, the refund and its notice, are committed together or not at all, and no web
request ever talks to a mail server. The worker (shop/messages/worker.py) delivers the row.
"""
import uuid
from contextlib import contextmanager
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from flask import current_app, has_request_context

from shop.clock import utcnow
from shop.extensions import db
from shop.messages.models import Message

GIVE_UP_AFTER = timedelta(days=1)


def _message_id() -> str:
    host = urlsplit(current_app.config.get("STORE_URL") or "").hostname or "shop.local"
    return f"<{uuid.uuid4().hex}@{host}>"


def record_message(to: str, subject: str, text: str, html: str | None = None, *, kind: str,
                   about=None, now: datetime | None = None, unsubscribe: str | None = None) -> Message:
    """Add an email to the caller's transaction (never commits); the worker sends it after the commit.

    `about` is what the message is about: a model instance (its class name, lower case, and id
    are kept) or a (type, id) pair such as ("lot", 7). Bodies are rendered by the caller now, so
    links built with url_for(_external=True) point at the shop that recorded them.
    """
    now = now or utcnow()
    about_type, about_id = _about(about)
    message = Message(kind=kind[:40], recipient=to.strip()[:254], subject=subject.strip()[:300], text_body=text,
                      html_body=html, about_type=about_type, about_id=about_id, message_id=_message_id(),
                      list_unsubscribe=unsubscribe[:500] if unsubscribe else None,
                      status="pending", attempts=0, next_attempt_at=now, give_up_after=now + GIVE_UP_AFTER,
                      last_error="", created_at=now)
    db.session.add(message)
    return message


@contextmanager
def links_to_the_shop():
    """Outside a request (a command, the worker's jobs) url_for(_external=True) builds links against STORE_URL."""
    if has_request_context():
        yield
        return
    with current_app.test_request_context(base_url=current_app.config["STORE_URL"]):
        yield


def _about(about) -> tuple[str, int | None]:
    if about is None:
        return "", None
    if isinstance(about, tuple):
        kind, ident = about
        return str(kind)[:40], int(ident) if ident is not None else None
    return type(about).__name__.lower()[:40], getattr(about, "id", None)
