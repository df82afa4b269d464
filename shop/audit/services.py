"""record_audit joins the caller's transaction: the entry is written with the change or not at all."""
import json
from dataclasses import dataclass

from sqlalchemy import func, select

from shop.audit.models import AuditEntry
from shop.extensions import db


def _plain(value):
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def record_audit(actor, action: str, subject, before: dict | None = None, after: dict | None = None,
                 summary: str = "") -> AuditEntry:
    """Add an entry for `actor` (a User or None for the command line) doing `action` to `subject`.

    `subject` is a model instance (its class name and id are kept) or a (type, id) pair.
    """
    if isinstance(subject, tuple):
        subject_type, subject_id = subject
    else:
        subject_type, subject_id = type(subject).__name__, getattr(subject, "id", "")
    entry = AuditEntry(
        actor_id=getattr(actor, "id", None),
        actor_email=getattr(actor, "email", "") or "command line",
        action=action,
        subject_type=subject_type,
        subject_id=str(subject_id or ""),
        summary=summary[:300],
        before_json=json.dumps(_plain(before or {}), sort_keys=True),
        after_json=json.dumps(_plain(after or {}), sort_keys=True),
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
        return max(1, -(-self.total // self.per_page))


def list_audit(*, subject_type: str = "", action: str = "", actor: str = "", page: int = 1, per_page: int = 50) -> AuditPage:
    conditions = []
    if subject_type:
        conditions.append(AuditEntry.subject_type == subject_type)
    if action:
        conditions.append(AuditEntry.action == action)
    if actor:
        conditions.append(AuditEntry.actor_email == actor.strip().lower())
    total = db.session.scalar(select(func.count()).select_from(AuditEntry).where(*conditions))
    page = max(1, min(page, max(1, -(-total // per_page))))
    entries = db.session.scalars(
        select(AuditEntry).where(*conditions).order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
        .limit(per_page).offset((page - 1) * per_page)
    ).all()
    return AuditPage(list(entries), total, page, per_page)


def changes(entry: AuditEntry) -> list[tuple[str, object, object]]:
    """(field, before, after) for every field either side names, for the log page."""
    before, after = json.loads(entry.before_json or "{}"), json.loads(entry.after_json or "{}")
    return [(k, before.get(k), after.get(k)) for k in sorted(set(before) | set(after))]
