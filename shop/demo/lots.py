"""The demo shelf's lots: two or three per size, dated from the day the demo is loaded.

Oils keep over 30 months, so their containers carry a period after opening, not a date; the
rest have best-before dates. A few sizes show the rules at work: CRM-ARN-0100 has a lot
expiring within 90 days (still on sale, first to go), BLM-WRM-0050 has an expired lot on the
shelf (off sale), and LOT-OAT-1000's only lot has expired, so it shows as out of stock.
"""
from dataclasses import dataclass
from datetime import date, timedelta

SHORT_DATED = "CRM-ARN-0100"
WITH_EXPIRED_LOT = "BLM-WRM-0050"
ONLY_LOT_EXPIRED = "LOT-OAT-1000"


@dataclass
class DemoLot:
    code: str
    units: int
    received_on: date
    expires_on: date | None = None
    manufactured_on: date | None = None
    pao_months: int | None = None


def _months(day: date, months: int) -> date:
    return day + timedelta(days=round(months * 30.44))


def lots_for(sku: str, stock: int, category: str, index: int, today: date) -> list[DemoLot]:
    """The lots a size's demo stock is split into (their units add up to `stock`, plus any expired units)."""
    stem = sku.split("-")[1]
    code = lambda n: f"{stem}{(today.year - 2000) * 100 + index:04d}{chr(65 + n)}"  # e.g. ALM2607A
    if sku == ONLY_LOT_EXPIRED:
        return [DemoLot(code(0), max(stock, 1), _months(today, -20), expires_on=today - timedelta(days=5))]
    if stock == 0:
        return []
    parts = [stock] if stock < 6 else [stock // 3, stock - stock // 3] if stock < 60 else [stock // 4, stock // 3, stock - stock // 4 - stock // 3]
    lots = []
    for n, units in enumerate(parts):
        received = today - timedelta(days=120 - 40 * n)
        if category == "oils":
            lots.append(DemoLot(code(n), units, received, manufactured_on=received - timedelta(days=20), pao_months=12))
        else:
            lots.append(DemoLot(code(n), units, received, expires_on=_months(today, 8 + 7 * n + index % 5)))
    if sku == SHORT_DATED:
        lots[0].expires_on = today + timedelta(days=60)
    if sku == WITH_EXPIRED_LOT:
        lots.insert(0, DemoLot(code(len(parts)), 6, _months(today, -24), expires_on=today - timedelta(days=10)))
    return lots
