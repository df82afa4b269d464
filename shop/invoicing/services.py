"""May this clinic buy on account now, and the invoice an order on account opens.

A clinic may choose "pay by invoice" while it has terms, its trade account is approved, none of its
invoices is past its due date, and its unpaid invoices with this order stay within its credit limit.
The checkout asks twice: before writing anything (to say why not at once), and again under the
clinic's lock in the transaction that takes the stock, where the answer is final.
"""
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select

from shop.clinics.models import Clinic
from shop.extensions import db
from shop.invoicing.models import UNPAID, Invoice, PaymentTerms
from shop.money import format_money
from shop.orders.models import Order


class OnAccountRefused(ValueError):
    """The clinic may not pay by invoice now; the message says why, and what to do, to the buyer."""


@dataclass
class Standing:
    """Where a clinic stands with us: its terms, what it owes and what is overdue."""

    terms: PaymentTerms | None
    owed_pence: int = 0
    overdue: list[Invoice] = field(default_factory=list)

    @property
    def credit_limit_pence(self) -> int:
        return self.terms.credit_limit_pence if self.terms is not None else 0

    @property
    def remaining_pence(self) -> int:
        return max(self.credit_limit_pence - self.owed_pence, 0)

    @property
    def days(self) -> int | None:
        return self.terms.days if self.terms is not None else None

    def refusal(self, amount_pence: int) -> str:
        """Why an order of this amount may not go on account ("" when it may)."""
        if self.terms is None or not self.terms.granted:
            return "Pay by invoice is for clinics we have agreed payment terms with. Please pay by card."
        if not self.terms.clinic.is_approved:
            return "Your clinic's trade account is not approved at the moment, so it cannot buy on account."
        if self.overdue:
            first = self.overdue[0]
            return (f"Your clinic's invoice {first.number or 'for order ' + first.order.number} "
                    f"({format_money(first.amount_pence)}) was due on {first.due_at.strftime('%-d %B %Y')} and is not "
                    "paid yet. Please pay it before ordering on account again; you can still pay by card.")
        if self.owed_pence + amount_pence > self.credit_limit_pence:
            return (f"This order ({format_money(amount_pence)}) would take your clinic's unpaid invoices to "
                    f"{format_money(self.owed_pence + amount_pence)}, over its credit limit of "
                    f"{format_money(self.credit_limit_pence)} ({format_money(self.remaining_pence)} left). "
                    "Pay an open invoice, or pay this order by card.")
        return ""


def standing_of(clinic_id: int, now: datetime, terms: PaymentTerms | None = None) -> Standing:
    """Two queries: the terms (unless given), and the unpaid invoices (a clinic has few at a time)."""
    if terms is None:
        terms = db.session.scalar(select(PaymentTerms).where(PaymentTerms.clinic_id == clinic_id))
    unpaid = db.session.scalars(select(Invoice).where(Invoice.clinic_id == clinic_id, Invoice.status.in_(UNPAID))
                                .order_by(Invoice.due_at)).all()
    return Standing(terms, sum(i.amount_pence for i in unpaid), [i for i in unpaid if i.due_at < now])


def lock_terms(clinic_id: int) -> PaymentTerms | None:
    """Lock the clinic's terms row until the transaction ends (PostgreSQL; SQLite has one writer, and the
    caller has already written): two members ordering at once are checked against the limit one after
    the other, each seeing what the other committed."""
    return db.session.scalar(select(PaymentTerms).where(PaymentTerms.clinic_id == clinic_id).with_for_update()
                             .execution_options(populate_existing=True))


def check_on_account(clinic: Clinic | None, amount_pence: int, now: datetime) -> Standing:
    """The clinic's standing, or OnAccountRefused saying why it may not buy this on account."""
    if clinic is None:
        raise OnAccountRefused("Pay by invoice is for clinics we have agreed payment terms with. Please pay by card.")
    standing = standing_of(clinic.id, now)
    refusal = standing.refusal(amount_pence)
    if refusal:
        raise OnAccountRefused(refusal)
    return standing


def open_invoice(order: Order, terms: PaymentTerms, now: datetime) -> Invoice:
    """The order's invoice, to be prepared at the gateway by the worker (in the order's transaction)."""
    invoice = Invoice(order=order, clinic_id=terms.clinic_id, status="preparing", amount_pence=order.total_pence,
                      currency=order.currency, terms_days=terms.days, due_at=now + timedelta(days=terms.days),
                      created_at=now)
    db.session.add(invoice)
    db.session.flush()
    return invoice


@dataclass
class Offer:
    """What the cart shows a clinic member about paying by invoice."""

    days: int
    refusal: str
    remaining_pence: int


def on_account_offer(user, amount_pence: int, now: datetime) -> Offer | None:
    """None unless the user's clinic has terms (most buyers never see the choice)."""
    clinic = getattr(user, "clinic", None) if getattr(user, "is_authenticated", False) else None
    if clinic is None:
        return None
    terms = db.session.scalar(select(PaymentTerms).where(PaymentTerms.clinic_id == clinic.id))
    if terms is None or not terms.granted:
        return None  # one query for the members of clinics without terms
    standing = standing_of(clinic.id, now, terms)
    return Offer(standing.days, standing.refusal(amount_pence), standing.remaining_pence)


def invoices_of_clinic(clinic_id: int) -> list[Invoice]:
    return list(db.session.scalars(select(Invoice).where(Invoice.clinic_id == clinic_id)
                                   .order_by(Invoice.created_at.desc(), Invoice.id.desc())))
