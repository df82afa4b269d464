"""Pay on account in the back office: granting terms, each clinic's invoices and credit, voiding an unpaid
invoice, and the aged debt for the accounts. Each change commits with its audit entry."""
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from shop.audit.services import record_audit
from shop.clinics.models import Clinic
from shop.csvsafe import CSV_BATCH, csv_batches
from shop.extensions import db
from shop.invoicing.events import apply_invoice, void_locally
from shop.invoicing.models import TERM_DAYS, UNPAID, Invoice, PaymentTerms
from shop.invoicing.services import Standing, invoices_of_clinic, standing_of
from shop.money import format_money, parse_pounds
from shop.payments.gateway import Gateway

MAX_CREDIT_PENCE = 100_000_00  # £100,000: above this is a typing slip, not a clinic's credit


class TermsError(ValueError):
    """Refused, nothing changed. `status` is the page's HTTP status; `field` the input it is about."""

    status = 422

    def __init__(self, message: str, field: str = "", status: int | None = None):
        super().__init__(message)
        self.field = field
        if status is not None:
            self.status = status


def grant_terms(clinic_id: int, days_text: str, credit_text: str, *, actor) -> PaymentTerms:
    """Set (or, with days "none", withdraw) a clinic's terms and credit limit; audited."""
    clinic = db.session.get(Clinic, clinic_id)
    if clinic is None:
        raise TermsError("There is no such clinic.", status=404)
    if days_text == "none":
        days = None
    elif days_text.isdigit() and int(days_text) in TERM_DAYS:
        days = int(days_text)
    else:
        raise TermsError("Choose 7, 14 or 30 days, or no terms.", "days")
    try:
        credit = parse_pounds(credit_text, field="credit limit", allow_zero=True, maximum_pence=MAX_CREDIT_PENCE)
    except ValueError as error:
        raise TermsError(str(error), "credit_limit") from None
    if days is not None and not clinic.is_approved:
        raise TermsError(f"{clinic.name}'s trade account is not approved: approve it before granting terms.", "days", 409)
    terms = db.session.scalar(select(PaymentTerms).where(PaymentTerms.clinic_id == clinic.id).with_for_update())
    before = {"days": terms.days, "credit_limit": format_money(terms.credit_limit_pence)} if terms else {"days": None}
    if terms is None:
        terms = PaymentTerms(clinic_id=clinic.id)
        db.session.add(terms)
    terms.days, terms.credit_limit_pence = days, credit
    record_audit(actor, "clinic.terms", clinic, before, {"days": days, "credit_limit": format_money(credit)},
                 summary=f"{clinic.name}: " + (f"{days}-day terms, credit limit {format_money(credit)}" if days else "no payment terms"))
    db.session.commit()
    return terms


@dataclass
class ClinicLedger:
    clinic: Clinic
    standing: Standing
    invoices: list[Invoice]
    now: datetime

    def of(self, kind: str) -> list[Invoice]:
        if kind == "overdue":
            return [i for i in self.invoices if i.is_overdue(self.now)]
        if kind == "open":
            return [i for i in self.invoices if i.status in UNPAID and not i.is_overdue(self.now)]
        return [i for i in self.invoices if i.status == kind]


def clinic_ledger(clinic_id: int, now: datetime) -> ClinicLedger | None:
    clinic = db.session.get(Clinic, clinic_id)
    if clinic is None:
        return None
    return ClinicLedger(clinic, standing_of(clinic.id, now), invoices_of_clinic(clinic.id), now)


def void_invoice(invoice_id: int, reason: str, *, gateway: Gateway, actor, now: datetime) -> Invoice:
    """Void an unpaid invoice at the gateway first (so it can no longer be paid), then cancel its order and
    return its stock, once. A payment made a moment before is honoured instead."""
    reason = (reason or "").strip()
    if not reason or len(reason) > 300:
        raise TermsError("Say why the invoice is voided (at most 300 characters).")
    invoice = db.session.get(Invoice, invoice_id)
    if invoice is None:
        raise TermsError("There is no such invoice.", status=404)
    if invoice.status not in UNPAID:
        raise TermsError(f"The invoice of order {invoice.order.number} is {invoice.status_label.lower()}: only unpaid "
                         "invoices can be voided.", status=409)
    if invoice.order.shipped_at is not None:
        raise TermsError(f"Order {invoice.order.number} has shipped: its stock cannot come back by voiding. Issue a "
                         "credit note at the payment provider instead.", status=409)
    if invoice.status == "preparing" and _still_preparing(invoice):
        # Never sent: nothing at the gateway can be paid (a draft left by a failure half-way is never
        # finalised, as the shop finalises its invoices itself), so voiding is the shop's alone.
        was, note = "preparing", f"invoice voided by {actor.email} before it was sent: {reason}"
        summary = f"invoice of {invoice.order.number} voided before it was sent: {reason}"
    else:
        current = gateway.void_invoice(invoice.gateway_invoice_id)
        if current.status != "void":
            apply_invoice(invoice, current, now, livemode=gateway.livemode)  # paid a moment ago: honoured
            db.session.commit()
            raise TermsError(f"The invoice of order {invoice.order.number} was paid just now, so it was not voided.", status=409)
        was, note = "open", f"invoice voided by {actor.email}: {reason}"
        summary = f"invoice {invoice.number} of {invoice.order.number} voided: {reason}"
    if not void_locally(invoice, note, now):
        db.session.rollback()
        raise TermsError("The invoice changed while you were looking; please check it again.", status=409)
    record_audit(actor, "invoice.void", invoice, {"status": was}, {"status": "void", "reason": reason}, summary=summary)
    db.session.commit()
    return invoice


def _still_preparing(invoice: Invoice) -> bool:
    """Whether the invoice is still unsent, with its row locked against the worker; TermsError (409) while the
    worker holds it, sending it at this moment. False if it was sent between the page and now."""
    try:
        locked = db.session.scalar(select(Invoice).where(Invoice.id == invoice.id).with_for_update(nowait=True, of=Invoice)
                                   .execution_options(populate_existing=True))
    except OperationalError:
        db.session.rollback()
        raise TermsError("Its invoice is being sent to the payment provider at this moment: try again in a minute.",
                         status=409) from None
    return locked.status == "preparing"


# --- who owes what: the clinics page and the aged-debt export -----------------------------------------

AGE_BANDS = ("current", "1-30", "31-60", "over 60")


def days_late(due: datetime, now: datetime) -> int:
    """Days an invoice is past its due moment, counting a day begun (0 while it is not due yet)."""
    return -(-(now - due) // timedelta(days=1)) if due < now else 0


def age_band(due: datetime, now: datetime) -> str:
    late = days_late(due, now)
    if late == 0:
        return "current"
    if late <= 30:
        return "1-30"
    if late <= 60:
        return "31-60"
    return "over 60"


@dataclass
class Debtor:
    clinic_id: int
    name: str
    days: int | None
    credit_limit_pence: int
    bands: dict[str, int] = field(default_factory=lambda: dict.fromkeys(AGE_BANDS, 0))

    @property
    def owed_pence(self) -> int:
        return sum(self.bands.values())

    @property
    def overdue_pence(self) -> int:
        return self.owed_pence - self.bands["current"]


def clinics_on_terms(now: datetime) -> list[Debtor]:
    """Every clinic with terms or with unpaid invoices, with what it owes by age (a few queries, however many)."""
    debtors: dict[int, Debtor] = {}
    for terms, clinic in db.session.execute(select(PaymentTerms, Clinic).join(Clinic, Clinic.id == PaymentTerms.clinic_id)
                                            .order_by(Clinic.name)):
        debtors[clinic.id] = Debtor(clinic.id, clinic.name, terms.days, terms.credit_limit_pence)
    for invoice_due, amount, clinic_id in db.session.execute(
            select(Invoice.due_at, Invoice.amount_pence, Invoice.clinic_id).where(Invoice.status.in_(UNPAID))):
        if clinic_id in debtors:
            debtors[clinic_id].bands[age_band(invoice_due, now)] += amount
    return list(debtors.values())


def aged_debt_csv(now: datetime) -> Iterator[str]:
    """One row per unpaid invoice, its amount in the column of its age: the accountant sums by clinic, or
    by column. Streamed a batch at a time, like the other exports."""
    rows = db.session.execute(
        select(Invoice.number, Invoice.order_id, Invoice.created_at, Invoice.due_at, Invoice.amount_pence, Invoice.currency,
               Clinic.name).outerjoin(Clinic, Clinic.id == Invoice.clinic_id).where(Invoice.status.in_(UNPAID))
        .order_by(Clinic.name, Invoice.due_at, Invoice.id).execution_options(yield_per=CSV_BATCH))

    def cells(row):
        band = age_band(row.due_at, now)
        amounts = [f"{row.amount_pence / 100:.2f}" if b == band else "" for b in AGE_BANDS]
        return (row.name or "", row.number or "(being prepared)", f"EC{row.order_id:06d}", row.created_at.date().isoformat(),
                row.due_at.date().isoformat(), days_late(row.due_at, now), *amounts, row.currency.upper())

    yield from csv_batches(["clinic", "invoice", "order", "issued", "due", "days_overdue", "current", "1_30_days",
                            "31_60_days", "over_60_days", "currency"], rows, cells)
