"""Discount code rules. A code is priced on the server in integer pence from the cart's lines; a use is
reserved when checkout starts with a conditional update (so a cap holds however many buyers race for the
last use) and released, exactly once, when the checkout lapses.

The callers pass in what offers cannot know without importing them: the cart's lines, whether the customer
has ordered before. Nothing here commits.
"""
import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import selectinload

from shop.extensions import db
from shop.money import format_money
from shop.offers.models import DiscountCode, DiscountUse

TAKEN = ("reserved", "used")


class CodeRefused(ValueError):
    """A code that cannot be used on this cart now; the message tells the buyer why."""


@dataclass(frozen=True)
class CodeLine:
    """What a code's rules need of one cart line: its product, category and price at the list price."""

    product_id: int
    category_id: int | None
    line_pence: int


@dataclass(frozen=True)
class CodeDiscount:
    code_id: int
    code: str
    kind: str
    goods_off_pence: int  # taken off the items
    free_delivery: bool = False

    @property
    def label(self) -> str:
        return f"Discount code {self.code}"


def normalise_code(text: str | None) -> str:
    """' spring 10 ' -> 'SPRING10'. CodeRefused for an empty or impossible code."""
    code = re.sub(r"\s+", "", text or "").upper()
    if not code:
        raise CodeRefused("Enter a discount code.")
    if len(code) > 40 or not re.fullmatch(r"[A-Z0-9_-]+", code):
        raise CodeRefused(f"We don't recognise the code “{code[:40]}”. Check it and try again.")
    return code


def _date(moment: datetime) -> str:
    return f"{moment.day} {moment.strftime('%B %Y')}"


def find_code(text: str) -> DiscountCode:
    code = normalise_code(text)
    found = db.session.scalar(select(DiscountCode).where(DiscountCode.code == code)
                              .options(selectinload(DiscountCode.products)))
    if found is None or not found.active:
        raise CodeRefused(f"We don't recognise the code “{code}”. Check it and try again.")
    return found


def uses_by(code_id: int, *, user_id: int | None, email: str | None, excluding_order: int | None = None) -> int:
    """Uses of the code reserved or paid for by this customer (their account, or their email)."""
    who = [c for c in (DiscountUse.user_id == user_id if user_id else None,
                       func.lower(DiscountUse.email) == email.lower() if email else None) if c is not None]
    if not who:
        return 0
    query = select(func.count(DiscountUse.id)).where(DiscountUse.code_id == code_id, DiscountUse.status.in_(TAKEN), or_(*who))
    if excluding_order is not None:
        query = query.where(DiscountUse.order_id != excluding_order)
    return db.session.scalar(query) or 0


def customer_problem(code: DiscountCode, *, user_id, email, ordered_before: bool, excluding_order=None) -> str | None:
    """The rules about who may use a code: first orders only, a cap per customer."""
    if code.first_order_only and ordered_before:
        return f"The code {code.code} is for a first order only."
    if code.max_uses_per_customer and uses_by(code.id, user_id=user_id, email=email,
                                              excluding_order=excluding_order) >= code.max_uses_per_customer:
        return f"You've already used the code {code.code} as many times as it allows."
    return None


def price_code(text: str, *, lines: list[CodeLine], trade: bool, now: datetime, user_id: int | None = None,
               email: str | None = None, ordered_before: bool = False) -> CodeDiscount:
    """The discount the code gives these lines now, or CodeRefused saying why not."""
    code = find_code(text)
    if code.valid_from and now < code.valid_from:
        raise CodeRefused(f"The code {code.code} can be used from {_date(code.valid_from)}.")
    if code.valid_until and now >= code.valid_until:
        raise CodeRefused(f"The code {code.code} expired on {_date(code.valid_until)}.")
    if code.max_uses is not None and code.uses_taken >= code.max_uses:
        raise CodeRefused(f"The code {code.code} has been used as many times as it can be.")
    if trade and not code.applies_to_trade:
        raise CodeRefused(f"The code {code.code} isn't for trade prices.")
    problem = customer_problem(code, user_id=user_id, email=email, ordered_before=ordered_before)
    if problem:
        raise CodeRefused(problem)
    goods = sum(line.line_pence for line in lines)
    if goods < code.min_spend_pence:
        raise CodeRefused(f"Spend {format_money(code.min_spend_pence)} on items to use the code {code.code} "
                          f"(your items come to {format_money(goods)}).")
    in_scope = _in_scope(code, lines)
    if not in_scope:
        raise CodeRefused(f"The code {code.code} is for {_scope_words(code)}, and nothing in your cart is.")
    eligible = sum(line.line_pence for line in in_scope)
    if code.kind == "percent":
        off = (eligible * code.percent_off + 50) // 100  # half a penny rounds up
    elif code.kind == "fixed":
        off = min(code.amount_off_pence, eligible)
    else:
        off = 0
    return CodeDiscount(code_id=code.id, code=code.code, kind=code.kind, goods_off_pence=off,
                        free_delivery=code.kind == "free_delivery")


def _in_scope(code: DiscountCode, lines: list[CodeLine]) -> list[CodeLine]:
    if code.scope == "category":
        return [line for line in lines if line.category_id == code.category_id]
    if code.scope == "products":
        chosen = {p.id for p in code.products}
        return [line for line in lines if line.product_id in chosen]
    return list(lines)


def _scope_words(code: DiscountCode) -> str:
    if code.scope == "category":
        return code.category.name.lower() if code.category else "one category"
    names = sorted(p.name for p in code.products)
    return names[0] if len(names) == 1 else "some products only"


# --------------------------------------------------------------------------- uses, like stock holds


def reserve_code_use(code_id: int, *, order_id: int, user_id: int | None, email: str | None, discount_pence: int,
                     ordered_before: bool = False) -> None:
    """Take one use of the code for this order, in the caller's transaction (the one holding the stock).

    One conditional update decides who gets the last use; it also locks the code's row, so the
    per-customer count after it sees every other reservation of the same code that won before.
    CodeRefused (the caller rolls back) when it is used up or this customer may not.
    """
    won = db.session.execute(
        update(DiscountCode)
        .where(DiscountCode.id == code_id, DiscountCode.active.is_(True),
               or_(DiscountCode.max_uses.is_(None), DiscountCode.uses_taken < DiscountCode.max_uses))
        .values(uses_taken=DiscountCode.uses_taken + 1)
        .execution_options(synchronize_session=False)
    ).rowcount
    code = db.session.get(DiscountCode, code_id)
    if not won:
        raise CodeRefused(f"Sorry, the code {code.code if code else ''} has just been used up.".replace("  ", " "))
    db.session.refresh(code)
    problem = customer_problem(code, user_id=user_id, email=email, ordered_before=ordered_before)
    if problem:
        raise CodeRefused(problem)
    db.session.add(DiscountUse(code_id=code_id, order_id=order_id, user_id=user_id, email=email,
                               discount_pence=discount_pence, status="reserved"))
    db.session.flush()


def release_code_use(order_id: int) -> bool:
    """Give the order's use back (its checkout expired, was cancelled or failed): exactly once."""
    code_id = db.session.scalar(select(DiscountUse.code_id).where(DiscountUse.order_id == order_id))
    if code_id is None:
        return False
    released = db.session.execute(
        update(DiscountUse).where(DiscountUse.order_id == order_id, DiscountUse.status == "reserved")
        .values(status="released").execution_options(synchronize_session=False)
    ).rowcount
    if released:
        db.session.execute(update(DiscountCode).where(DiscountCode.id == code_id)
                           .values(uses_taken=DiscountCode.uses_taken - 1).execution_options(synchronize_session=False))
    return bool(released)


def confirm_code_use(order_id: int, email: str | None) -> None:
    """The order was paid: its use counts for good. Paid after its hold lapsed, the use is taken again even
    over the cap: the buyer has paid the discounted price, and the report must show it."""
    retaken = db.session.execute(
        update(DiscountUse).where(DiscountUse.order_id == order_id, DiscountUse.status == "released")
        .values(status="used").execution_options(synchronize_session=False)
    ).rowcount
    if retaken:
        code_id = db.session.scalar(select(DiscountUse.code_id).where(DiscountUse.order_id == order_id))
        db.session.execute(update(DiscountCode).where(DiscountCode.id == code_id)
                           .values(uses_taken=DiscountCode.uses_taken + 1).execution_options(synchronize_session=False))
    values = {"status": "used"}
    if email:
        values["email"] = email[:254]
    db.session.execute(update(DiscountUse).where(DiscountUse.order_id == order_id, DiscountUse.status == "reserved")
                       .values(**values).execution_options(synchronize_session=False))
    if email:
        db.session.execute(update(DiscountUse).where(DiscountUse.order_id == order_id, DiscountUse.email.is_(None))
                           .values(email=email[:254]).execution_options(synchronize_session=False))


def payment_problem(order_id: int, *, email: str | None, user_id: int | None, ordered_before: bool) -> str | None:
    """At payment the buyer's email is known: a guest's per-customer and first-order rules are checked now."""
    use = db.session.scalar(select(DiscountUse).where(DiscountUse.order_id == order_id))
    if use is None:
        return None
    problem = customer_problem(use.code, user_id=user_id, email=email, ordered_before=ordered_before, excluding_order=order_id)
    return f"discount code {use.code.code}: {problem}" if problem else None
