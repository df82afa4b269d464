"""The visitor's cart as the signed session keeps it, priced for this request.

The views of the cart, checkout, care plans and reorder all read and write the cart here.
The care plan a cart came from is kept beside it ({"plan_id", "token"}); what that plan takes
off is found by the care plans package, which the factory hands to `price_plans_with`, so the
cart never imports care plans (they build on the cart, not the other way round).
"""
from typing import Callable

from flask import Flask, current_app, session
from flask_login import current_user

from shop.cart.services import Buyer, PlanDiscount, PricedCart, clean_cart, price_cart
from shop.clock import utcnow
from shop.orders.services import has_paid_order, last_delivery_postcode

# What a remembered plan reference is worth today: None when the link no longer works.
PlanDiscountLookup = Callable[[object], PlanDiscount | None]
_PLAN_LOOKUP = "shop.cart.plan_discount"


def current_cart() -> dict[int, int]:
    return clean_cart(session.get("cart"))


def save_cart(cart: dict[int, int]) -> None:
    session["cart"] = {str(k): v for k, v in cart.items()}


def remember_plan(reference: dict | None) -> None:
    """The care plan the cart's lines came from, so they are priced with its discount and credit it."""
    session["care_plan"] = reference


def has_plan() -> bool:
    return "care_plan" in session


def price_plans_with(app: Flask, lookup: PlanDiscountLookup) -> None:
    app.extensions[_PLAN_LOOKUP] = lookup


def _plan_discount() -> PlanDiscount | None:
    lookup = current_app.extensions.get(_PLAN_LOOKUP)
    return lookup(session.get("care_plan")) if lookup is not None else None


def trade_pricing() -> bool:
    """Prices are decided on the server, per request, from the signed-in account."""
    return bool(current_user.is_authenticated and current_user.is_trade)


def remember_delivery(postcode: str, method_code: str | None) -> None:
    """The postcode (already normalised) and the method the buyer chose; the price is worked out on every view."""
    session["delivery"] = {"postcode": postcode, "method": method_code or ""}


def delivery_choice() -> tuple[str, str]:
    """(postcode, method code) as chosen; a signed-in customer who chose nothing yet starts from their last address."""
    chosen = session.get("delivery")
    if isinstance(chosen, dict):
        return str(chosen.get("postcode") or "")[:10], str(chosen.get("method") or "")[:40]
    if current_user.is_authenticated:
        return last_delivery_postcode(current_user.id), ""
    return "", ""


def remember_code(code: str | None) -> None:
    """The discount code entered (normalised), or None to take it off; it is priced again on every view."""
    if code:
        session["offer_code"] = code
    else:
        session.pop("offer_code", None)


def current_buyer() -> Buyer:
    if not current_user.is_authenticated:
        return Buyer()
    return Buyer(user_id=current_user.id, email=current_user.email,
                 ordered_before=has_paid_order(current_user.id, current_user.email))


def priced_current_cart(code: str | None = None) -> PricedCart:
    """The cart as this visitor sees it now; `code` prices it with a code just typed instead of the one remembered."""
    cart = current_cart()
    postcode, method = delivery_choice() if cart else ("", "")
    code = code if code is not None else str(session.get("offer_code") or "")[:40]
    return price_cart(
        cart,
        currency=current_app.config["STORE_CURRENCY"],
        trade=trade_pricing(),
        plan=_plan_discount(),
        postcode=postcode,
        delivery_method=method,
        code=code if cart else "",
        now=utcnow(),
        buyer=current_buyer() if cart and code else Buyer(),
    )
