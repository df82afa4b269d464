"""Cart rules. A cart is a plain dict {variant_id: quantity}; the views keep it in the session.

Prices are never stored in the cart: every view recomputes them from the database, so a
price change or an unpublished product shows up at once.

The order a line's price is worked out in, everywhere (cart, order, receipt, Stripe):
1. the unit price for the size, the quantity in the line and the buyer (shop/catalog/volume.py
   `unit_price`): retail; or trade; or, for a trade buyer from a break's quantity, its volume price.
   That is the line's list price, and the order line keeps it as its unit price;
2. a care plan's patient discount comes off each unit of the list price (retail buyers only, so it
   never meets a volume price);
3. a discount code is priced on the lines at their list prices, volume prices included (it never
   combines with the patient discount), and goes to Stripe as a coupon, not as lower unit prices;
4. delivery, whose free-over threshold is judged on the items as priced in 1-2, before any code.
"""
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from shop.catalog.models import Product, Variant
from shop.catalog.volume import UnitPrice, case_problem, unit_price, whole_cases
from shop.delivery.services import DeliveryOption, DeliveryQuote, quote_delivery
from shop.extensions import db
from shop.offers.services import CodeDiscount, CodeLine, CodeRefused, price_code
from shop.money import format_money
from shop.postcodes import POSTCODE_MESSAGE, PostcodeError, normalise_postcode


class CartError(ValueError):
    """A change to the cart that cannot be made; the message says why."""


@dataclass(frozen=True)
class PlanDiscount:
    """Lines bought from a practitioner's care plan: counted for the plan, maybe discounted, and
    carrying the practitioner's notes and chosen guides through to the order."""

    plan_id: int
    percent: int
    variant_ids: frozenset[int]
    label: str  # e.g. "10% patient discount from Harbour Physio"
    title: str = ""
    practitioner: str = ""  # the practitioner's name, "" when they gave none
    clinic: str = ""
    notes: dict[int, str] = field(default_factory=dict)  # variant id -> how to use it
    guides: tuple = ()  # the published guides the practitioner chose


@dataclass
class CartLine:
    variant: Variant
    quantity: int
    problem: str = ""
    can_buy: int = 0  # how many could be bought now, when there is a problem
    trade: bool = False  # priced from the trade list (an approved practitioner's cart)
    from_plan: bool = False
    discount_percent: int = 0
    discount_label: str = ""
    plan_note: str = ""  # the practitioner's note, for a line from a care plan

    @property
    def price(self) -> UnitPrice:
        """The unit price for this size, quantity and buyer, with the volume price applied and the next one."""
        return unit_price(self.variant, self.quantity, trade=self.trade)

    @property
    def list_price_pence(self) -> int:
        return self.price.pence

    @property
    def to_next_break(self) -> int:
        """How many more units would reach the next volume price (0 when there is none)."""
        following = self.price.next_from
        return following - self.quantity if following else 0

    @property
    def discount_each_pence(self) -> int:
        # Per unit, rounded half up, so the discount on the line is exact at any quantity.
        return (self.list_price_pence * self.discount_percent + 50) // 100

    @property
    def unit_price_pence(self) -> int:
        return self.list_price_pence - self.discount_each_pence

    @property
    def retail_price_pence(self) -> int:
        return self.variant.price_pence

    @property
    def line_total_pence(self) -> int:
        return self.unit_price_pence * self.quantity

    @property
    def product(self) -> Product:
        return self.variant.product


@dataclass
class PricedCart:
    lines: list[CartLine]
    currency: str
    missing: int = 0  # lines whose variant no longer exists (dropped)
    problems: list[str] = field(default_factory=list)
    trade: bool = False
    plan: PlanDiscount | None = None  # the care plan some lines came from
    quote: DeliveryQuote = field(default_factory=DeliveryQuote)  # the methods open to this parcel
    delivery: DeliveryOption | None = None  # the one the buyer chose, priced now
    code_text: str = ""  # the discount code entered, as remembered
    code: CodeDiscount | None = None  # the code as applied, when it is
    code_problem: str = ""  # why the code entered does not apply now
    code_note: str = ""  # which of a code and a care plan's discount was applied, and why

    @property
    def code_discount_pence(self) -> int:
        return self.code.goods_off_pence if self.code is not None else 0

    @property
    def delivery_discount_pence(self) -> int:
        """What a free-delivery code takes off the chosen method's price."""
        if self.code is None or not self.code.free_delivery or self.delivery is None:
            return 0
        return self.delivery.price_pence

    @property
    def shipping_pence(self) -> int:
        return (self.delivery.price_pence if self.delivery is not None else 0) - self.delivery_discount_pence

    @property
    def weight_grams(self) -> int:
        return sum(line.variant.shipping_weight_grams * line.quantity for line in self.lines)

    @property
    def care_plan_id(self) -> int | None:
        return self.plan.plan_id if self.plan is not None else None

    @property
    def discount_pence(self) -> int:
        return sum(line.discount_each_pence * line.quantity for line in self.lines)

    @property
    def pricing(self) -> str:
        return "trade" if self.trade else "retail"

    @property
    def subtotal_pence(self) -> int:
        return sum(line.line_total_pence for line in self.lines)

    @property
    def total_pence(self) -> int:
        return self.subtotal_pence - self.code_discount_pence + self.shipping_pence

    @property
    def item_count(self) -> int:
        return sum(line.quantity for line in self.lines)

    @property
    def is_empty(self) -> bool:
        return not self.lines

    @property
    def lines_ok(self) -> bool:
        return bool(self.lines) and not any(line.problem for line in self.lines)

    @property
    def can_checkout(self) -> bool:
        return self.lines_ok and self.delivery is not None

    @property
    def to_free_shipping_pence(self) -> int:
        """How much more makes the chosen method free (0 when it has no threshold or is free already)."""
        threshold = self.delivery.free_over_pence if self.delivery is not None else None
        if not threshold or self.delivery.made_free:
            return 0
        return max(0, threshold - self.subtotal_pence)


def clean_cart(raw) -> dict[int, int]:
    """Whatever is in the session, as {variant_id: quantity} with positive whole numbers only."""
    cart = {}
    if isinstance(raw, dict):
        for key, value in raw.items():
            try:
                variant_id, quantity = int(key), int(value)
            except (TypeError, ValueError):
                continue
            if variant_id > 0 and quantity > 0:
                cart[variant_id] = quantity
    return cart


def variants_by_id(ids, *, with_sizes: bool = False, with_breaks: bool = False) -> dict[int, Variant]:
    """The variants with their products in one query (and the products' other sizes, and the volume prices a
    trade buyer is priced with, in one more each)."""
    if not ids:
        return {}
    product = joinedload(Variant.product)
    rows = db.session.scalars(
        select(Variant).where(Variant.id.in_(list(ids)))
        .options(product.joinedload(Product.category), *([product.selectinload(Product.variants)] if with_sizes else []),
                 *([selectinload(Variant.price_breaks)] if with_breaks else []))
    )
    return {v.id: v for v in rows}


def _purchasable(variant_id: int) -> Variant:
    variant = variants_by_id([variant_id]).get(variant_id)
    if variant is None or not variant.product.published:
        raise CartError("That product is not available.")
    return variant


def _check_quantity(quantity: int, max_per_line: int) -> None:
    if quantity < 1 or quantity > max_per_line:
        raise CartError(f"Choose a quantity from 1 to {max_per_line}.")


def add_to_cart(cart: dict[int, int], variant_id: int, quantity: int, *, max_per_line: int) -> tuple[dict[int, int], Variant]:
    _check_quantity(quantity, max_per_line)
    variant = _purchasable(variant_id)
    new_quantity = cart.get(variant_id, 0) + quantity
    if new_quantity > max_per_line:
        raise CartError(f"You can order up to {max_per_line} of one size at a time; you have {cart.get(variant_id, 0)} in your cart.")
    problem = case_problem(variant, new_quantity, in_cart=cart.get(variant_id, 0))
    if problem:
        raise CartError(problem)
    if new_quantity > variant.stock_on_hand:
        in_cart = cart.get(variant_id, 0)
        if variant.stock_on_hand == 0:
            raise CartError(f"Sorry, {variant.product.name} ({variant.size_label}) is out of stock.")
        raise CartError(
            f"Only {variant.stock_on_hand} of {variant.product.name} ({variant.size_label}) left"
            + (f", and you already have {in_cart} in your cart." if in_cart else ".")
        )
    return {**cart, variant_id: new_quantity}, variant


def set_quantity(cart: dict[int, int], variant_id: int, quantity: int, *, max_per_line: int) -> dict[int, int]:
    if variant_id not in cart:
        raise CartError("That item is not in your cart.")
    _check_quantity(quantity, max_per_line)
    variant = variants_by_id([variant_id]).get(variant_id)
    if variant is None or not variant.product.published:
        raise CartError("That product is no longer available; please remove it.")
    problem = case_problem(variant, quantity)
    if problem:
        raise CartError(problem)
    if quantity > variant.stock_on_hand:
        raise CartError(f"Only {variant.stock_on_hand} of {variant.product.name} ({variant.size_label}) left.")
    return {**cart, variant_id: quantity}


def remove_from_cart(cart: dict[int, int], variant_id: int) -> dict[int, int]:
    return {k: v for k, v in cart.items() if k != variant_id}


@dataclass
class DeliveryChoice:
    postcode: str  # normalised, "" for none
    method_code: str  # "" when the buyer still has to choose
    notice: str = ""  # why a method chosen before was dropped


def choose_delivery(postcode_text: str, method_code: str, cart: "PricedCart") -> DeliveryChoice:
    """The postcode (normalised) and method to remember for this cart. A bad postcode is a CartError; a method
    not open to this parcel at that postcode is dropped with a notice, so the buyer picks again from what is shown."""
    postcode = ""
    if postcode_text and postcode_text.strip():
        try:
            postcode = normalise_postcode(postcode_text)
        except PostcodeError:
            raise CartError(POSTCODE_MESSAGE) from None
    quote = quote_delivery(postcode, weight_grams=cart.weight_grams, goods_pence=cart.subtotal_pence)
    if not method_code or quote.option(method_code) is not None:
        return DeliveryChoice(postcode, method_code)
    where = f"to {postcode}" if postcode else "without a postcode"
    return DeliveryChoice(postcode, "", f"That delivery method isn't available {where}: please choose one of those shown.")


@dataclass(frozen=True)
class Buyer:
    """Who is buying, for a code's rules: their account and email when signed in, and whether they ordered before."""

    user_id: int | None = None
    email: str | None = None
    ordered_before: bool = False


def price_cart(cart: dict[int, int], *, currency: str, trade: bool = False, plan: PlanDiscount | None = None,
               postcode: str | None = None, delivery_method: str | None = None, code: str = "",
               now=None, buyer: Buyer = Buyer()) -> PricedCart:
    """The cart priced from the database now: lines, then delivery for its parcel to `postcode` by the
    method chosen (none when that method is no longer open to it, so the buyer chooses again)."""
    variants = variants_by_id(cart.keys(), with_breaks=trade)
    lines = []
    for variant_id, quantity in cart.items():
        variant = variants.get(variant_id)
        if variant is None:
            continue
        line = CartLine(variant=variant, quantity=quantity, trade=trade)
        if plan is not None and variant_id in plan.variant_ids:
            line.from_plan = True
            line.plan_note = plan.notes.get(variant_id, "")
            if not trade:  # trade prices already beat a patient discount
                line.discount_percent, line.discount_label = plan.percent, plan.label
        if not variant.product.published:
            line.problem = "No longer available. Please remove it."
        elif variant.stock_on_hand == 0:
            line.problem = "Now out of stock. Please remove it."
        elif quantity > variant.stock_on_hand:
            line.problem = f"Only {variant.stock_on_hand} left. Please lower the quantity."
            line.can_buy = whole_cases(variant, variant.stock_on_hand)
        elif case_problem(variant, quantity):  # the size went into cases after it was put in the cart
            line.problem = f"Sold in cases of {variant.case_quantity}. Please change the quantity."
            line.can_buy = min(whole_cases(variant, quantity) or variant.case_quantity, whole_cases(variant, variant.stock_on_hand))
        lines.append(line)
    lines.sort(key=lambda l: (l.variant.product.name, l.variant.amount))
    priced = PricedCart(
        lines=lines,
        currency=currency,
        missing=len(cart) - len(lines),
        trade=trade,
        plan=plan if plan is not None and any(line.from_plan for line in lines) else None,
    )
    if lines:
        _price_delivery(priced, postcode, delivery_method)
        if code:
            priced.code_text = code
            _apply_code(priced, code, now=now, buyer=buyer, postcode=postcode, delivery_method=delivery_method)
    return priced


def _price_delivery(priced: PricedCart, postcode: str | None, delivery_method: str | None) -> None:
    # The free-over threshold is judged on the items as priced, before any code.
    try:
        priced.quote = quote_delivery(postcode, weight_grams=priced.weight_grams, goods_pence=priced.subtotal_pence)
    except PostcodeError:
        priced.quote = quote_delivery(None, weight_grams=priced.weight_grams, goods_pence=priced.subtotal_pence)
    priced.delivery = priced.quote.option(delivery_method)


def _apply_code(priced: PricedCart, text: str, *, now, buyer: Buyer, postcode, delivery_method) -> None:
    """Price the code on the lines at their list prices (volume prices included: step 3 of the order at the
    top of this module). A code and a care plan's patient discount never
    combine: whichever saves the buyer more is applied, and the cart says so."""
    lines = [CodeLine(line.variant.product_id, line.product.category_id, line.list_price_pence * line.quantity)
             for line in priced.lines]
    try:
        found = price_code(text, lines=lines, trade=priced.trade, now=now, user_id=buyer.user_id, email=buyer.email,
                           ordered_before=buyer.ordered_before)
    except CodeRefused as refused:
        priced.code_problem = str(refused)
        return
    code_saves = found.goods_off_pence + (priced.delivery.price_pence if found.free_delivery and priced.delivery else 0)
    plan_saves = priced.discount_pence
    if plan_saves and plan_saves >= code_saves:
        priced.code_note = (f"Your clinic's patient discount saves you {format_money(plan_saves)}, more than the code "
                            f"{found.code} would ({format_money(code_saves)}), so we kept it: the two don't combine.")
        return
    if plan_saves:
        for line in priced.lines:
            line.discount_percent, line.discount_label = 0, ""
        _price_delivery(priced, postcode, delivery_method)
        priced.code_note = (f"The code {found.code} saves you {format_money(code_saves)}, more than your clinic's "
                            f"patient discount ({format_money(plan_saves)}), so we applied the code instead: the two don't combine.")
    priced.code = found
