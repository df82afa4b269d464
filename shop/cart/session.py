"""The visitor's cart as the signed session keeps it, priced for this request.

The views of the cart, checkout, care plans and reorder all read and write the cart here.
The care plan a cart came from is kept beside it ({"plan_id", "token"}); what that plan takes
off is found by the care plans package, which the factory hands to `price_plans_with`, so the
cart never imports care plans (they build on the cart, not the other way round).
"""
from typing import Callable

from flask import Flask, current_app, session
from flask_login import current_user

from shop.cart.services import PlanDiscount, PricedCart, clean_cart, price_cart

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


def priced_current_cart() -> PricedCart:
    config = current_app.config
    return price_cart(
        current_cart(),
        flat_shipping_pence=config["SHIPPING_FLAT_PENCE"],
        free_shipping_threshold_pence=config["FREE_SHIPPING_THRESHOLD_PENCE"],
        currency=config["STORE_CURRENCY"],
        trade=trade_pricing(),
        plan=_plan_discount(),
    )
