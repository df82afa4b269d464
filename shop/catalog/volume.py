"""Volume prices and case quantities: what one unit of a size costs at a quantity, and what may be bought.

`unit_price` is the one place a line's unit price is decided: the cart prices its lines with it, and the
order lines, the receipt and Stripe's line items copy what the cart decided, never working it out again.

- Retail buyers pay the retail price whatever the quantity: volume prices are trade prices, and a retail
  visitor never sees them.
- Approved practitioners pay the trade price (retail where a size has none) and, from a break's minimum
  quantity in one line, that break's price. A break is never dearer than the trade price, even if the
  trade price was lowered below it after it was saved.
- Case quantities apply to everyone. A case is how the size is packed and sent (a 5 L refill in a sealed
  box of 6), not a trade term: a patient buying that size gets the same rule, stated on the product page,
  rather than a size we could not pack for them. So a cart line is valid for the same quantities whoever
  signs in.
"""
from dataclasses import dataclass

from shop.money import format_money
from shop.problems import Problem


@dataclass(frozen=True)
class UnitPrice:
    pence: int
    volume_from: int | None = None  # the break applied (its minimum quantity), None at the plain price
    next_from: int | None = None  # the next break up, for "add 3 more for £y.yy each"
    next_pence: int | None = None

    @property
    def is_volume(self) -> bool:
        return self.volume_from is not None


def unit_price(variant, quantity: int, *, trade: bool) -> UnitPrice:
    """What one unit of `variant` costs this buyer in a line of `quantity`."""
    base = variant.price_for(trade)
    if not trade:
        return UnitPrice(base)
    applied, following = None, None
    for price_break in variant.price_breaks:  # smallest quantity first
        if price_break.unit_price_pence >= base:
            continue  # the trade price beats it: never charge more for more
        if price_break.min_quantity <= quantity:
            applied = price_break
        elif following is None:
            following = price_break
    return UnitPrice(
        applied.unit_price_pence if applied else base,
        volume_from=applied.min_quantity if applied else None,
        next_from=following.min_quantity if following else None,
        next_pence=following.unit_price_pence if following else None,
    )


def price_table(variant) -> list[tuple[str, int]]:
    """The breaks as the product page's table shows them: ("1–5", trade price), ("6–11", ...), ("12+", ...)."""
    base = variant.price_for(True)
    breaks = [b for b in variant.price_breaks if b.unit_price_pence < base]
    if not breaks:
        return []
    starts = [variant.case_quantity or 1] + [b.min_quantity for b in breaks]  # a case size starts at one case
    prices = [base] + [b.unit_price_pence for b in breaks]
    rows = []
    for i, (start, pence) in enumerate(zip(starts, prices)):
        end = starts[i + 1] - 1 if i + 1 < len(starts) else None
        rows.append((f"{start}+" if end is None else (str(start) if end == start else f"{start}–{end}"), pence))
    return rows


def case_problem(variant, quantity: int, *, in_cart: int = 0) -> str | None:
    """Why `quantity` of a size sold in cases cannot be bought, or None. `in_cart` is already in the cart
    (the quantity is the line's new total)."""
    case = variant.case_quantity or 1
    if case == 1 or quantity % case == 0:
        return None
    lower, upper = quantity // case * case, (quantity // case + 1) * case
    choices = " or ".join(str(n) for n in (lower, upper) if n > 0)
    already = f" in all (you have {in_cart} in your cart)" if in_cart else ""
    return f"{variant.product.name} ({variant.size_label}) is sold in cases of {case}: choose {choices}{already}."


def whole_cases(variant, quantity: int) -> int:
    """The most of `quantity` that is whole cases (0 when it is less than one case)."""
    case = variant.case_quantity or 1
    return quantity // case * case


# ------------------------------------------------------------------------- the back office


class VolumeError(ValueError):
    def __init__(self, problems: list):
        self.problems = problems
        super().__init__(" ".join(str(p) for p in problems))


MAX_CASE = 1_000
MAX_BREAK_QUANTITY = 100_000


def parse_case_quantity(text: str, label: str = "") -> tuple[int | None, list]:
    raw = str(text or "").strip()
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_CASE:
        return None, [Problem(f"{label}the case quantity must be a whole number from 1 (sold singly) to {MAX_CASE}.", "case_quantity")]
    return int(raw), []


def parse_breaks(rows: list[tuple[str, str]], label: str = "") -> tuple[list[tuple[int, int]], list]:
    """Typed (quantity, price in pounds) rows as (min quantity, pence), smallest first; empty rows are left out."""
    from shop.money import parse_pounds

    parsed, problems = [], []
    for quantity_text, price_text in rows:
        quantity_text, price_text = str(quantity_text or "").strip(), str(price_text or "").strip()
        if not quantity_text and not price_text:
            continue
        if not quantity_text.isdigit() or not 2 <= int(quantity_text) <= MAX_BREAK_QUANTITY:
            problems.append(Problem(f"{label}a volume price starts at a whole number of units from 2 "
                                    f"(“{quantity_text[:10]}” is not); the price for 1 is the trade price.", "price_breaks"))
            continue
        try:
            parsed.append((int(quantity_text), parse_pounds(price_text, field=f"volume price from {quantity_text}")))
        except ValueError as error:
            problems.append(Problem(f"{label}{error}", "price_breaks"))
    return sorted(parsed), problems


def check_breaks(breaks: list[tuple[int, int]], *, trade_pence: int, case_quantity: int, label: str = "") -> list:
    """What rows alone cannot promise: one break per quantity, each dearer than none above it, every one under the
    trade price, and each reachable in whole cases."""
    problems = []
    previous_quantity, previous_pence = 1, trade_pence
    for quantity, pence in breaks:
        if quantity == previous_quantity:
            problems.append(Problem(f"{label}there are two volume prices from {quantity}: keep one.", "price_breaks"))
        elif pence >= previous_pence:
            what = "the trade price" if previous_quantity == 1 else f"the price from {previous_quantity}"
            problems.append(Problem(f"{label}the volume price from {quantity} ({format_money(pence)}) must be less than "
                                    f"{what} ({format_money(previous_pence)}): prices fall as quantities rise.", "price_breaks"))
        if case_quantity > 1 and quantity % case_quantity:
            problems.append(Problem(f"{label}the volume price from {quantity} can't be reached in cases of "
                                    f"{case_quantity}: start it at a multiple of {case_quantity}.", "price_breaks"))
        previous_quantity, previous_pence = quantity, min(previous_pence, pence)
    return problems
