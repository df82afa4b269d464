"""Putting many lines in the cart at once, and the supplies list.

Adding many lines is forgiving (buy again, supplies list, running low): whatever can be
added is added, and the report says plainly what was short or unavailable. The quick order
pad is strict instead: the buyer typed every number, so nothing is added until all are valid.
"""
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from shop.accounts.models import SupplyItem, User
from shop.cart.services import CartError, variants_by_id
from shop.catalog.models import Variant
from shop.catalog.volume import case_problem, unit_price, whole_cases
from shop.extensions import db
from shop.money import format_money


@dataclass
class Wanted:
    variant_id: int
    quantity: int
    name: str = ""  # how the buyer knows it, for the report when the variant is gone
    was_price_pence: int | None = None  # what they paid last time, to point out a new price


@dataclass
class AddReport:
    added: list[str] = field(default_factory=list)
    short: list[str] = field(default_factory=list)
    unavailable: list[str] = field(default_factory=list)
    repriced: list[str] = field(default_factory=list)

    @property
    def lines_added(self) -> int:
        return len(self.added) + len(self.short)

    def messages(self) -> list[tuple[str, str]]:
        """(category, text) pairs for flash messages, the plainest first."""
        out = []
        if self.added:
            out.append(("success", "Added to your cart: " + "; ".join(self.added) + "."))
        for text in self.short:
            out.append(("warning", text))
        for text in self.unavailable:
            out.append(("warning", text))
        for text in self.repriced:
            out.append(("info", text))
        if not self.lines_added:
            out.append(("warning", "Nothing could be added to your cart."))
        return out


def _label(variant: Variant) -> str:
    return f"{variant.product.name} ({variant.size_label})"


def _other_sizes(variant: Variant) -> str:
    others = [v.size_label for v in variant.product.variants if v.id != variant.id and v.stock_on_hand > 0]
    return f" Other sizes in stock: {', '.join(others)}." if others and variant.product.published else ""


def add_many(cart: dict[int, int], wanted: list[Wanted], *, max_per_line: int, trade: bool, currency: str) -> tuple[dict[int, int], AddReport]:
    """Add as much of each wanted line as stock and the per-line limit allow."""
    cart = dict(cart)
    report = AddReport()
    variants = variants_by_id({w.variant_id for w in wanted}, with_sizes=True, with_breaks=trade)
    for item in wanted:
        variant = variants.get(item.variant_id)
        if variant is None or not variant.product.published:
            report.unavailable.append(f"{item.name or 'An item'} is no longer sold, so it was not added.")
            continue
        label = _label(variant)
        in_cart = cart.get(variant.id, 0)
        room = min(max_per_line, variant.stock_on_hand) - in_cart
        if variant.stock_on_hand == 0:
            report.unavailable.append(f"{label} is out of stock, so it was not added.{_other_sizes(variant)}")
            continue
        # A size sold in cases is never rounded for the buyer (up costs them more, down is not what they asked
        # for): a quantity that is not whole cases is left out, and the report says which would do.
        if case_problem(variant, item.quantity):
            report.unavailable.append(f"{label} is sold in cases of {variant.case_quantity}, so {item.quantity} could not "
                                      f"be added: choose a number of cases on its page.")
            continue
        room = whole_cases(variant, room)
        if room <= 0:
            report.short.append(f"{label}: you already have {in_cart} in your cart, as many as we can sell you now; none added.")
            continue
        take = min(item.quantity, room)
        cart[variant.id] = in_cart + take
        if take < item.quantity:
            report.short.append(f"{label}: only {take} of {item.quantity} added (that's all we have{' with what is already in your cart' if in_cart else ''}).")
        else:
            report.added.append(f"{take} × {label}")
        price_now = unit_price(variant, cart[variant.id], trade=trade).pence
        if item.was_price_pence is not None and item.was_price_pence != price_now:
            report.repriced.append(
                f"{label} is now {format_money(price_now, currency)} each (you paid {format_money(item.was_price_pence, currency)})."
            )
    return cart, report


def add_strictly(cart: dict[int, int], wanted: list[Wanted], *, max_per_line: int) -> tuple[dict[int, int], dict[int, str]]:
    """All or nothing: the new cart, or the unchanged cart and a message per variant that can't be added."""
    problems: dict[int, str] = {}
    new_cart = dict(cart)
    variants = variants_by_id({w.variant_id for w in wanted})
    for item in wanted:
        variant = variants.get(item.variant_id)
        if variant is None or not variant.product.published:
            problems[item.variant_id] = "No longer available."
            continue
        total = new_cart.get(variant.id, 0) + item.quantity
        if item.quantity < 1 or total > max_per_line:
            problems[variant.id] = f"Choose from 1 to {max_per_line - cart.get(variant.id, 0)}."
        elif case_problem(variant, total):
            problems[variant.id] = f"Sold in cases of {variant.case_quantity}: enter a multiple of {variant.case_quantity}" + (
                f" ({cart[variant.id]} already in your cart)." if variant.id in cart else ".")
        elif total > variant.stock_on_hand:
            problems[variant.id] = "Out of stock." if variant.stock_on_hand == 0 else f"Only {variant.stock_on_hand} left" + (
                f" ({cart[variant.id]} already in your cart)." if variant.id in cart else ".")
        else:
            new_cart[variant.id] = total
    return (cart, problems) if problems else (new_cart, {})


# --- the supplies list ----------------------------------------------------------------------

def _list_of(user: User):
    """A clinic member's list is the clinic's, shared by its team; anyone else's is their own."""
    membership = user.clinic_membership
    if membership is not None:
        return SupplyItem.clinic_id == membership.clinic_id
    return SupplyItem.user_id == user.id


def _new_line(user: User, variant_id: int, quantity: int) -> SupplyItem:
    membership = user.clinic_membership
    if membership is not None:
        return SupplyItem(clinic_id=membership.clinic_id, variant_id=variant_id, quantity=quantity)
    return SupplyItem(user_id=user.id, variant_id=variant_id, quantity=quantity)


def supplies_of(user: User) -> list[SupplyItem]:
    return db.session.scalars(
        select(SupplyItem).where(_list_of(user))
        .options(joinedload(SupplyItem.variant).joinedload(Variant.product),
                 joinedload(SupplyItem.variant).selectinload(Variant.price_breaks))  # the price at the usual quantity
        .order_by(SupplyItem.added_at, SupplyItem.id)
    ).all()


def save_to_supplies(user: User, items: list[Wanted], *, max_per_line: int) -> int:
    """Add sizes to the list (a size already there keeps one line, with the larger usual quantity)."""
    variants = variants_by_id({w.variant_id for w in items})
    existing = {s.variant_id: s for s in db.session.scalars(select(SupplyItem).where(_list_of(user)))}
    saved = 0
    for item in items:
        variant = variants.get(item.variant_id)
        if variant is None or not variant.product.published:
            continue
        if not 1 <= item.quantity <= max_per_line:
            raise CartError(f"Choose a usual quantity from 1 to {max_per_line}.")
        line = existing.get(variant.id)
        if line is None:
            line = _new_line(user, variant.id, item.quantity)
            db.session.add(line)
            existing[variant.id] = line
        else:
            line.quantity = max(line.quantity, item.quantity)
        saved += 1
    db.session.commit()
    return saved


def set_supply_quantity(user: User, item_id: int, quantity: int, *, max_per_line: int) -> SupplyItem:
    line = db.session.scalar(select(SupplyItem).where(SupplyItem.id == item_id, _list_of(user)))
    if line is None:
        raise CartError("That item is not on your supplies list.")
    if not 1 <= quantity <= max_per_line:
        raise CartError(f"Choose a usual quantity from 1 to {max_per_line}.")
    line.quantity = quantity
    db.session.commit()
    return line


def remove_supply(user: User, item_id: int) -> None:
    line = db.session.scalar(select(SupplyItem).where(SupplyItem.id == item_id, _list_of(user)))
    if line is None:
        raise CartError("That item is not on your supplies list.")
    db.session.delete(line)
    db.session.commit()

