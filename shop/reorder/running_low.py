"""When is a customer likely to run out? From their own order history, nothing else.

For each product bought in at least three orders, the usual interval is the median of the
gaps between those orders (the median, so one holiday gap doesn't skew it); the next order
is due one usual interval after the last.
"""
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from statistics import median

MIN_ORDERS = 3
DUE_SOON_DAYS = 7


@dataclass(frozen=True)
class Purchase:
    product_id: int
    product_name: str
    variant_id: int
    size_label: str
    quantity: int
    on: date


@dataclass(frozen=True)
class Estimate:
    product_id: int
    product_name: str
    variant_id: int  # the size bought last time
    size_label: str
    quantity: int  # how many were bought last time
    times_bought: int
    usual_interval_days: int
    last_bought: date
    next_due: date

    def days_until_due(self, today: date) -> int:
        return (self.next_due - today).days

    def is_due(self, today: date) -> bool:
        return self.days_until_due(today) <= DUE_SOON_DAYS


def estimate(purchases: list[Purchase]) -> list[Estimate]:
    by_product: dict[int, dict[date, list[Purchase]]] = {}
    for p in purchases:
        by_product.setdefault(p.product_id, {}).setdefault(p.on, []).append(p)
    estimates = []
    for product_id, by_day in by_product.items():
        days = sorted(by_day)
        if len(days) < MIN_ORDERS:
            continue
        gaps = [(b - a).days for a, b in zip(days, days[1:])]
        usual = max(1, round(median(gaps)))
        last_day = days[-1]
        last = max(by_day[last_day], key=lambda p: p.quantity)
        estimates.append(
            Estimate(
                product_id=product_id,
                product_name=last.product_name,
                variant_id=last.variant_id,
                size_label=last.size_label,
                quantity=sum(p.quantity for p in by_day[last_day] if p.variant_id == last.variant_id),
                times_bought=len(days),
                usual_interval_days=usual,
                last_bought=last_day,
                next_due=last_day + timedelta(days=usual),
            )
        )
    return sorted(estimates, key=lambda e: (e.next_due, e.product_name))


def purchases_from(orders) -> list[Purchase]:
    """Paid orders' lines as purchases; orders are the account's own (already filtered by owner)."""
    bought = []
    for order in orders:
        if order.paid_at is None:
            continue
        on = order.paid_at.date() if isinstance(order.paid_at, datetime) else order.paid_at
        for line in order.lines:
            bought.append(Purchase(line.product_id, line.product_name, line.variant_id, line.size_label, line.quantity, on))
    return bought


def due_items(orders) -> list[Estimate]:
    """Every estimate for the account page; the page marks which are due."""
    return estimate(purchases_from(orders))
