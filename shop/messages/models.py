"""Outgoing messages (the outbox) and the worker's periodic jobs."""
from datetime import datetime

from sqlalchemy import CheckConstraint, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from shop.clock import utcnow
from shop.extensions import db

STATUSES = ("pending", "sending", "sent", "failed")
STATUS_LABELS = {"pending": "Waiting", "sending": "Being sent", "sent": "Sent", "failed": "Failed"}


class Message(db.Model):
    """One email, written in the same transaction as the change that caused it; the worker delivers it.

    `message_id` is made when the message is recorded and sent with every attempt, so a mail
    system that receives it twice (a worker killed after the server took it) can drop the copy.
    """

    __tablename__ = "messages"
    __table_args__ = (
        CheckConstraint("status IN ('pending', 'sending', 'sent', 'failed')", name="message_status_known"),
        CheckConstraint("attempts >= 0", name="attempts_not_negative"),
        Index("ix_messages_status_next_attempt", "status", "next_attempt_at"),
        Index("ix_messages_about", "about_type", "about_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    text_body: Mapped[str] = mapped_column(Text)
    html_body: Mapped[str | None] = mapped_column(Text)
    about_type: Mapped[str] = mapped_column(String(40), default="")
    about_id: Mapped[int | None]
    message_id: Mapped[str] = mapped_column(String(200), unique=True)
    list_unsubscribe: Mapped[str | None] = mapped_column(String(500))  # the one-click unsubscribe link, sent as a header
    status: Mapped[str] = mapped_column(String(20), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_until: Mapped[datetime | None]
    give_up_after: Mapped[datetime]
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    sent_at: Mapped[datetime | None]

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)


class JobRun(db.Model):
    """When each periodic job may run next; a worker claims a run with a conditional update on it."""

    __tablename__ = "job_runs"
    name: Mapped[str] = mapped_column(String(60), primary_key=True)
    next_run_at: Mapped[datetime]
    last_started_at: Mapped[datetime | None]
    last_result: Mapped[str] = mapped_column(Text, default="")
