"""What the back office and /healthz ask of the outbox: the backlog, lists, and sending a failed message again."""
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, or_, select, update

from shop.audit.services import record_audit
from shop.extensions import db
from shop.messages.models import STATUS_LABELS, Message
from shop.messages.outbox import GIVE_UP_AFTER
from shop.problems import Problem
from shop.sql import LIKE_ESCAPE, escape_like
from shop.paging import clamp_page

KIND_LABELS = {
    "order_confirmation": "Order confirmation",
    "order_shipped": "Order shipped",
    "order_refunded": "Refund",
    "low_stock": "Low stock",
    "back_in_stock_confirm": "Confirm back-in-stock request",
    "back_in_stock": "Back in stock",
    "care_plan_alert": "Care plan product unavailable",
    "refill_reminder": "Refill reminder",
    "account_verify": "Confirm email",
    "account_reset": "Password reset",
    "account_already_registered": "Already registered",
    "account_password_changed": "Password changed",
    "account_trade_received": "Trade application received",
    "account_trade_approved": "Trade account approved",
    "account_trade_rejected": "Trade application rejected",
    "account_trade_suspended": "Trade account suspended",
}
PER_PAGE = 50


class MessageError(ValueError):
    """Refused, with a message for the admin; `status` is the HTTP answer."""

    def __init__(self, message: str, status: int = 409):
        super().__init__(message)
        self.status = status


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind.replace("_", " ").capitalize())


@dataclass
class Backlog:
    due: int
    oldest_due_seconds: int  # how long the oldest due message has been waiting; 0 when none is


def backlog(now: datetime) -> Backlog:
    """Messages the worker should be sending now. A growing age means no worker is running."""
    due = or_(Message.status == "pending", Message.status == "sending") & (Message.next_attempt_at <= now)
    count, oldest = db.session.execute(select(func.count(), func.min(Message.next_attempt_at)).where(due)).one()
    return Backlog(count, max(0, int((now - oldest).total_seconds())) if oldest else 0)


def failure_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Message).where(Message.status == "failed"))


@dataclass
class MessageFilters:
    status: str = ""
    kind: str = ""
    q: str = ""
    page: int = 1
    problems: list = field(default_factory=list)

    @classmethod
    def parse(cls, args) -> "MessageFilters":
        filters = cls(status=args.get("status", "")[:20], kind=args.get("kind", "")[:40], q=args.get("q", "").strip()[:254])
        if filters.status and filters.status not in STATUS_LABELS:
            filters.problems.append(Problem("Choose a state from the list.", "messages-status"))
            filters.status = ""
        if filters.kind and filters.kind not in KIND_LABELS:
            filters.problems.append(Problem("Choose a kind of email from the list.", "messages-kind"))
            filters.kind = ""
        page = args.get("page", "1")
        filters.page = int(page) if page.isdigit() and len(page) < 6 else 1
        return filters


def find_messages(filters: MessageFilters) -> tuple[list[Message], int, int]:
    """The page of messages matching the filters (newest first), how many match, and the page shown."""
    conditions = []
    if filters.status:
        conditions.append(Message.status == filters.status)
    if filters.kind:
        conditions.append(Message.kind == filters.kind)
    if filters.q:
        pattern = f"%{escape_like(filters.q.lower())}%"
        conditions.append(or_(Message.recipient.ilike(pattern, escape=LIKE_ESCAPE), Message.subject.ilike(pattern, escape=LIKE_ESCAPE)))
    total = db.session.scalar(select(func.count()).select_from(Message).where(*conditions))
    page = clamp_page(filters.page, total, PER_PAGE)
    found = db.session.scalars(select(Message).where(*conditions).order_by(Message.created_at.desc(), Message.id.desc())
                               .limit(PER_PAGE).offset((page - 1) * PER_PAGE)).all()
    return list(found), total, page


def get_message(message_id: int) -> Message | None:
    return db.session.get(Message, message_id)


def send_again(message_id: int, *, actor, now: datetime) -> Message:
    """Put a failed message back in the queue for the worker, with a new day of tries; audited."""
    message = db.session.get(Message, message_id)
    if message is None:
        raise MessageError("There is no such message.", 404)
    if not message.text_body:
        raise MessageError("This email's text was deleted after the period the privacy notice states; it cannot be sent again.")
    # Conditional on 'failed': two admins clicking at once queue it once.
    queued = db.session.execute(
        update(Message).where(Message.id == message.id, Message.status == "failed")
        .values(status="pending", next_attempt_at=now, give_up_after=now + GIVE_UP_AFTER, claimed_until=None)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not queued:
        db.session.rollback()
        raise MessageError(f"Only a failed email can be sent again; this one is {STATUS_LABELS[message.status].lower()}.")
    record_audit(actor, "message.resend", message, {"status": "failed"}, {"status": "pending"},
                 summary=f"sent again: “{message.subject}” to {message.recipient}")
    db.session.commit()
    db.session.refresh(message)
    return message

