"""Practitioner applications in the back office: review, approve, reject, suspend.

Decisions go through `decide_trade` (which emails the applicant and writes the audit entry in
the same transaction), as the command line's do.
"""
from sqlalchemy import case, select

from shop.accounts.models import TradeAccount, User
from shop.accounts.services import AccountError, _mail, decide_trade, trade_snapshot
from shop.audit.services import record_audit
from shop.clock import utcnow
from shop.extensions import db

_ORDER = case({"pending": 0, "approved": 1, "suspended": 2, "rejected": 3}, value=TradeAccount.status)


def list_trade_accounts(status: str = "") -> list[TradeAccount]:
    stmt = select(TradeAccount).join(User).order_by(_ORDER, TradeAccount.applied_at)
    if status:
        stmt = stmt.where(TradeAccount.status == status)
    return list(db.session.scalars(stmt))


def pending_count() -> int:
    from sqlalchemy import func

    return db.session.scalar(select(func.count()).select_from(TradeAccount).where(TradeAccount.status == "pending"))


def decide_application(account_id: int, approve: bool, reason: str, *, actor) -> TradeAccount:
    account = db.session.get(TradeAccount, account_id)
    if account is None:
        raise AccountError("There is no such application.")
    if account.status == "suspended" and not approve:
        raise AccountError("This account is suspended; reinstate it by approving it, or leave it suspended.")
    try:
        return decide_trade(account.user.email, approve, reason, actor=actor)  # commits, with the entry, and emails
    except AccountError:
        db.session.rollback()
        raise


def suspend_trade(account_id: int, reason: str, *, actor) -> TradeAccount:
    """Stop an approved practitioner seeing trade prices; they are told why."""
    account = db.session.get(TradeAccount, account_id)
    if account is None:
        raise AccountError("There is no such trade account.")
    reason = (reason or "").strip()
    if not reason:
        raise AccountError("Give a reason for the suspension; the practitioner is told it.")
    if len(reason) > 500:
        raise AccountError("Keep the reason under 500 characters.")
    if account.status != "approved":
        raise AccountError(f"Only approved accounts can be suspended; this one is {account.status}.")
    before = trade_snapshot(account)
    account.status = "suspended"
    account.decision_reason = reason
    account.decided_at = utcnow()
    if account.user.role == "practitioner":
        account.user.role = "customer"
    record_audit(actor, "trade.suspend", account, before, trade_snapshot(account),
                 summary=f"suspended {account.user.email} ({account.clinic_name})")
    _mail(account.user.email, "trade_suspended", "Your trade account is suspended", account=account, about=account)
    db.session.commit()
    return account


def set_discount(account_id: int, percent_text: str, *, actor) -> TradeAccount:
    """The clinic's patient discount on its care plans (0–50 %), typed in the back office or given on
    the command line (`actor` None), with its audit entry.
    """
    account = db.session.get(TradeAccount, account_id)
    if account is None:
        raise AccountError("There is no such trade account.")
    text = (percent_text or "").strip().rstrip("%").strip()
    if not text.isdigit() or len(text) > 3:
        raise AccountError("Enter the discount as a whole number of percent, from 0 to 50.")
    percent = int(text)
    record_audit(actor, "trade.discount", account, {"patient_discount_percent": account.patient_discount_percent},
                 {"patient_discount_percent": percent}, summary=f"{account.clinic_name}: patient discount {percent}%")
    try:
        set_patient_discount(account, percent)  # commits, with the audit entry
    except AccountError:
        db.session.rollback()
        raise
    return account


def set_patient_discount(account: TradeAccount, percent: int) -> None:
    """An admin's decision: the clinic's patients pay this much less on its care plans."""
    if not 0 <= percent <= 50:
        raise AccountError("The patient discount must be from 0 to 50 percent.")
    account.patient_discount_percent = percent
    db.session.commit()
