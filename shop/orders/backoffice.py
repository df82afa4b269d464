"""Orders in the back office: finding them, shipping, cancelling unpaid ones, the accounting export.

Refunds live in shop.orders.refunds. Each function here that changes an order commits and
writes the audit log in the same transaction.
"""
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from flask import render_template, url_for
from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import selectinload

from shop.audit.services import record_audit
from shop.clock import utcnow
from shop.csvsafe import CSV_BATCH, csv_batches
from shop.extensions import db
from shop.messages.outbox import record_message
from shop.orders.closing import close_checkout_or_honour_payment
from shop.orders.models import Order, OrderEvent, OrderLine
from shop.orders.services import release_order
from shop.orders.status import MONEY_TAKEN, SHIPPABLE, STATUSES, OrderStatus
from shop.payments.gateway import Gateway
from shop.sql import LIKE_ESCAPE, escape_like
from shop.paging import page_count

PER_PAGE = 50


class OrderActionError(ValueError):
    """Refused, nothing changed: the order's state does not allow it. The type of the error says
    which HTTP status the page answers with (`status`); `field` names the input it is about (its
    id on the order page), if one.
    """

    status = 409

    def __init__(self, message: str = "", field: str = ""):
        super().__init__(message)
        self.field = field


class OrderInputError(OrderActionError):
    """What the admin typed is missing or wrong."""

    status = 422


class NoSuchOrder(OrderActionError):
    status = 404


@dataclass
class OrderFilters:
    status: str = ""
    paid: str = ""  # "paid" | "unpaid" | ""
    flagged: bool = False
    date_from: date | None = None
    date_to: date | None = None
    q: str = ""
    page: int = 1
    problems: list[str] = field(default_factory=list)

    @classmethod
    def parse(cls, args) -> "OrderFilters":
        f = cls()
        f.status = args.get("status", "")
        if f.status and f.status not in STATUSES and f.status != "awaiting-shipping":
            f.problems.append("Choose a state from the list.")
            f.status = ""
        f.paid = args.get("paid", "") if args.get("paid") in ("paid", "unpaid") else ""
        f.flagged = args.get("flagged") == "1"
        for name in ("date_from", "date_to"):
            raw = (args.get(name) or "").strip()
            if raw:
                try:
                    setattr(f, name, date.fromisoformat(raw))
                except ValueError:
                    f.problems.append(f"“{raw[:20]}” is not a date (use YYYY-MM-DD).")
        f.q = (args.get("q") or "").strip()[:254]
        try:
            f.page = max(1, int(args.get("page", 1)))
        except ValueError:
            f.page = 1
        return f

    def conditions(self) -> list:
        c = []
        if self.status == "awaiting-shipping":
            c += [Order.status.in_(SHIPPABLE), Order.shipped_at.is_(None)]
        elif self.status:
            c.append(Order.status == self.status)
        if self.paid == "paid":
            c.append(Order.paid_at.is_not(None))
        elif self.paid == "unpaid":
            c.append(Order.paid_at.is_(None))
        if self.flagged:
            c.append(Order.status == OrderStatus.NEEDS_REVIEW)
        if self.date_from:
            c.append(Order.created_at >= datetime.combine(self.date_from, time.min))
        if self.date_to:
            c.append(Order.created_at < datetime.combine(self.date_to + timedelta(days=1), time.min))
        if self.q:
            number = self.q.upper().removeprefix("EC").lstrip("0")
            terms = [Order.email == self.q.lower(), Order.email.ilike(f"%{escape_like(self.q.lower())}%", escape=LIKE_ESCAPE)]
            if number.isdigit() and len(number) < 10:
                terms.append(Order.id == int(number))
            c.append(or_(*terms))
        return c


def find_orders(filters: OrderFilters, per_page: int = PER_PAGE) -> tuple[list[Order], int]:
    where = filters.conditions()
    total = db.session.scalar(select(func.count()).select_from(Order).where(*where))
    filters.page = min(filters.page, page_count(total, per_page))
    orders = db.session.scalars(
        select(Order).where(*where).order_by(Order.created_at.desc(), Order.id.desc())
        .limit(per_page).offset((filters.page - 1) * per_page)
    ).all()
    return list(orders), total


def get_order(order_id: int) -> Order | None:
    return db.session.scalar(
        select(Order).where(Order.id == order_id).options(selectinload(Order.lines).selectinload(OrderLine.lot_allocations), selectinload(Order.events))
    )


def orders_csv(filters: OrderFilters) -> Iterator[str]:
    """One row per order for the accountant: amounts in pounds, VAT included in the total; streamed
    a batch of orders at a time, so a year of orders never sits in memory at once."""
    orders = db.session.scalars(
        select(Order).where(*filters.conditions()).order_by(Order.created_at, Order.id).execution_options(yield_per=CSV_BATCH)
    )

    def pounds(p):
        return f"{p / 100:.2f}"

    def cells(o):
        return (
            o.number, o.created_at.isoformat(timespec="seconds"), o.paid_at.isoformat(timespec="seconds") if o.paid_at else "",
            o.status, o.email or "", o.pricing, pounds(o.subtotal_pence), pounds(o.shipping_pence), pounds(o.total_pence),
            pounds(o.refunded_pence), pounds(o.total_pence - o.refunded_pence), o.currency.upper(), o.payment_intent_id or "",
            o.shipped_at.isoformat(timespec="seconds") if o.shipped_at else "", o.carrier, o.tracking_number,
        )

    yield from csv_batches(["order", "created", "paid", "status", "email", "pricing", "subtotal", "delivery", "total",
                            "refunded", "net", "currency", "payment_intent", "shipped", "carrier", "tracking"], orders, cells)


def mark_shipped(order_id: int, carrier: str, tracking_number: str, *, actor) -> Order:
    """Record the parcel and email the customer their tracking number."""
    carrier, tracking_number = (carrier or "").strip(), (tracking_number or "").strip()
    if not carrier or len(carrier) > 60:
        raise OrderInputError("Enter the carrier (at most 60 characters).", "carrier")
    if not tracking_number or len(tracking_number) > 80:
        raise OrderInputError("Enter the tracking number (at most 80 characters).", "tracking_number")
    order = db.session.get(Order, order_id)
    if order is None:
        raise NoSuchOrder("There is no such order.")
    if order.shipped_at is not None:
        raise OrderActionError(f"Order {order.number} was already marked shipped.")
    if order.status not in SHIPPABLE:
        raise OrderActionError(f"Order {order.number} is {order.status_label.lower()}: only paid orders, and orders "
                               "on a clinic's payment terms, can be shipped.")
    # Conditional on 'paid (or on account) and not shipped yet': two admins clicking at once ship it once.
    status = order.status
    shipped = db.session.execute(
        update(Order).where(Order.id == order.id, Order.status == status, Order.shipped_at.is_(None))
        .values(shipped_at=utcnow(), carrier=carrier, tracking_number=tracking_number)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not shipped:
        db.session.rollback()
        raise OrderActionError(f"Order {order.number} changed while you were looking; please check it again.")
    db.session.add(OrderEvent(order_id=order.id, from_status=status, to_status=status,
                              note=f"shipped with {carrier}, tracking {tracking_number}"))
    db.session.flush()
    db.session.refresh(order)
    record_audit(actor, "order.ship", order, {"shipped_at": None},
                 {"shipped_at": order.shipped_at.strftime("%Y-%m-%d %H:%M UTC"), "carrier": carrier, "tracking_number": tracking_number},
                 summary=f"{order.number} shipped with {carrier}")
    if order.email:  # recorded with the shipment: both are committed, or neither
        context = {"order": order, "order_url": url_for("checkout.order_page", token=order.token, _external=True)}
        record_message(order.email, f"Your order {order.number} is on its way",
                       render_template("email/order_shipped.txt", **context), kind="order_shipped", about=order)
    db.session.commit()
    return order


def cancel_unpaid(order_id: int, reason: str, *, gateway: Gateway, actor) -> Order:
    """Cancel an order nobody has paid for: close its checkout at the gateway, then release the hold."""
    reason = (reason or "").strip()
    if not reason or len(reason) > 300:
        raise OrderInputError("Say why the order is cancelled (at most 300 characters).", "cancel-reason")
    order = db.session.get(Order, order_id)
    if order is None:
        raise NoSuchOrder("There is no such order.")
    if order.status == OrderStatus.PAYMENT_PROCESSING:
        raise OrderActionError(f"Order {order.number} is being paid by a delayed method; wait for the payment to succeed or fail.")
    if order.status == OrderStatus.ON_ACCOUNT:
        raise OrderActionError(f"Order {order.number} was bought on account: void its invoice (on the clinic's invoices "
                               "page) to cancel it and return its stock.")
    if order.status != OrderStatus.PENDING_PAYMENT:
        raise OrderActionError(f"Order {order.number} is {order.status_label.lower()}; only unpaid orders can be cancelled.")
    if close_checkout_or_honour_payment(order, gateway).paid:
        raise OrderActionError(f"Order {order.number} was paid just now, so it was not cancelled.")
    if not release_order(order, OrderStatus.CANCELLED, f"cancelled by {actor.email}: {reason}"):
        db.session.rollback()
        raise OrderActionError(f"Order {order.number} changed while you were looking; please check it again.")
    record_audit(actor, "order.cancel", order, {"status": OrderStatus.PENDING_PAYMENT},
                 {"status": OrderStatus.CANCELLED, "reason": reason}, summary=f"{order.number} cancelled: {reason}")
    db.session.commit()
    return order


@dataclass
class Dashboard:
    paid_today: int
    revenue_today: int
    paid_week: int
    revenue_week: int
    to_ship: int
    flagged: int


def dashboard_figures(now: datetime | None = None) -> Dashboard:
    now = now or utcnow()
    today = datetime.combine(now.date(), time.min)
    week = today - timedelta(days=now.weekday())
    taken = Order.status.in_(MONEY_TAKEN)
    kept = Order.total_pence - Order.refunded_pence
    # All six figures in one pass over orders (aggregate FILTER, on PostgreSQL and SQLite alike), not four queries.
    figures = db.session.execute(select(
        func.count().filter(taken, Order.paid_at >= today),
        func.coalesce(func.sum(kept).filter(taken, Order.paid_at >= today), 0),
        func.count().filter(taken, Order.paid_at >= week),
        func.coalesce(func.sum(kept).filter(taken, Order.paid_at >= week), 0),
        func.count().filter(Order.status.in_(SHIPPABLE), Order.shipped_at.is_(None)),
        func.count().filter(Order.status == OrderStatus.NEEDS_REVIEW),
    ).select_from(Order)).one()
    return Dashboard(*(int(figure) for figure in figures))
