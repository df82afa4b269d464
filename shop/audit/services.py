"""record_audit joins the caller's transaction: the entry is written with the change or not at all."""
import json
from dataclasses import dataclass

from sqlalchemy import func, select

from shop.audit.models import AuditEntry
from shop.extensions import db
from shop.paging import clamp_page, page_count

COMMAND_LINE = "command line"  # the actor of a change made with `flask --app wsgi shop ...`
ACCOUNT_HOLDER = "the account holder"  # a customer acting on their own account, named no further once it is erased


def _plain(value):
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def _same(old, new) -> bool:
    # An empty text saved over a missing one is no change to anyone reading the log.
    return old == new or (old in (None, "") and new in (None, ""))


def record_audit(actor, action: str, subject, before: dict | None = None, after: dict | None = None,
                 summary: str = "") -> AuditEntry | None:
    """Add an entry for `actor` (a User; None for the command line; or a label such as
    ACCOUNT_HOLDER where naming the person would keep what was erased) doing `action` to `subject`.

    `subject` is a model instance (its class name and id are kept) or a (type, id) pair. Only the
    fields whose value changed are kept; an edit that changed nothing writes no entry.
    """
    before, after = _plain(before or {}), _plain(after or {})
    changed = {k for k in set(before) | set(after) if not _same(before.get(k), after.get(k))}
    if before and not changed:
        return None
    if isinstance(subject, tuple):
        subject_type, subject_id = subject
    else:
        subject_type, subject_id = type(subject).__name__, getattr(subject, "id", "")
    entry = AuditEntry(
        actor_id=getattr(actor, "id", None),
        actor_email=actor if isinstance(actor, str) else getattr(actor, "email", "") or COMMAND_LINE,
        action=action,
        subject_type=subject_type,
        subject_id=str(subject_id or ""),
        summary=summary[:300],
        before_json=json.dumps({k: v for k, v in before.items() if k in changed}, sort_keys=True),
        after_json=json.dumps({k: v for k, v in after.items() if k in changed}, sort_keys=True),
    )
    db.session.add(entry)
    return entry


@dataclass
class AuditPage:
    entries: list[AuditEntry]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return page_count(self.total, self.per_page)


def list_audit(*, subject_type: str = "", action: str = "", actor: str = "", page: int = 1, per_page: int = 50) -> AuditPage:
    conditions = []
    if subject_type:
        conditions.append(AuditEntry.subject_type == subject_type)
    if action:
        conditions.append(AuditEntry.action == action)
    if actor:
        conditions.append(AuditEntry.actor_email == actor.strip().lower())
    total = db.session.scalar(select(func.count()).select_from(AuditEntry).where(*conditions))
    page = clamp_page(page, total, per_page)
    entries = db.session.scalars(
        select(AuditEntry).where(*conditions).order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
        .limit(per_page).offset((page - 1) * per_page)
    ).all()
    return AuditPage(list(entries), total, page, per_page)
