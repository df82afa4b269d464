from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for

from shop.cart.forms import AddToCartForm, CheckoutForm, CodeForm, DeliveryForm, RemoveLineForm, UpdateLineForm, first_error
from shop.cart.services import CartError, add_to_cart, choose_delivery, remove_from_cart, set_quantity
from shop.cart.session import current_cart, priced_current_cart, remember_code, remember_delivery, save_cart
from shop.offers.services import CodeRefused, normalise_code
from shop.catalog.services import ProductNotFound, get_product_of_variant
from shop.extensions import limiter
from shop.problems import Problem

bp = Blueprint("cart", __name__, url_prefix="/cart")


def render_cart(errors=(), status=200, notice="", cart=None):
    """The cart page, with what went wrong; checkout's errors are shown on it too. A script asking for the
    summary alone (the delivery chooser, without a reload) gets just that part of the page. `cart` is the
    cart this request has already priced, when nothing it shows has changed since."""
    template = "cart/_summary.html" if request.headers.get("X-Requested-With") == "fetch" else "cart/cart.html"
    return (
        render_template(template, cart=cart or priced_current_cart(), checkout_form=CheckoutForm(),
                        errors=list(errors), notice=notice, max_quantity=current_app.config["MAX_QUANTITY_PER_LINE"]),
        status,
    )


@bp.get("")
def view():
    return render_cart()


@bp.post("/delivery")
def delivery():
    """The postcode and delivery method chosen in the cart's summary: a plain form, or the script's request."""
    form = DeliveryForm()
    if not form.validate():
        return render_cart([Problem(first_error(form), "postcode")], 400)
    try:
        choice = choose_delivery(form.postcode.data or "", (form.method.data or "").strip(), priced_current_cart())
    except CartError as error:
        return render_cart([Problem(str(error), "postcode")], 400)
    remember_delivery(choice.postcode, choice.method_code)
    if request.headers.get("X-Requested-With") == "fetch":
        return render_cart(notice=choice.notice)
    if choice.notice:
        flash(choice.notice, "error")
    return redirect(url_for("cart.view"), code=303)


CODE_GUESSING = "Too many discount codes tried from here. Please check the code you were given, or wait a few minutes."


def _code_guess_limit():
    return current_app.config["DISCOUNT_CODE_GUESS_LIMIT"]


def _refused(response) -> bool:
    return response.status_code == 400


@bp.post("/code")
@limiter.limit(_code_guess_limit, deduct_when=_refused, error_message=CODE_GUESSING)
def code():
    """A discount code typed in the cart: kept only if it applies to this cart now, else the reason why."""
    form = CodeForm()
    if not form.validate():
        return render_cart([Problem(first_error(form), "discount-code")], 400)
    if request.form.get("remove"):
        remember_code(None)
        flash("The discount code is taken off.", "success")
        return redirect(url_for("cart.view"), code=303)
    try:
        code = normalise_code(form.code.data)
    except CodeRefused as refused:
        return render_cart([Problem(str(refused), "discount-code")], 400)
    priced = priced_current_cart(code=code)
    if priced.code_problem:
        return render_cart([Problem(priced.code_problem, "discount-code")], 400)
    remember_code(code)
    flash(priced.code_note or f"The code {code} is applied.", "success")
    return redirect(url_for("cart.view"), code=303)


@bp.post("/add")
def add():
    form = AddToCartForm()
    limit = current_app.config["MAX_QUANTITY_PER_LINE"]
    if not form.validate():
        return _back_to_product(form, first_error(form))
    try:
        cart, variant = add_to_cart(current_cart(), form.variant_id.data, form.quantity.data, max_per_line=limit)
    except CartError as error:
        return _back_to_product(form, str(error))
    save_cart(cart)
    flash(f"Added {form.quantity.data} × {variant.product.name} ({variant.size_label}) to your cart.", "success")
    return redirect(url_for("cart.view"), code=303)


def _back_to_product(form, message):
    """Show the product page again with the message, or the cart when the product is unknown."""
    try:
        product = get_product_of_variant(form.variant_id.data)
    except ProductNotFound:
        return render_cart([message], 400)
    # The summary at the top links to the buy box's quantity, where the message is shown again.
    return render_template("catalog/product.html", product=product, errors=[Problem(message, "quantity")], cart_form=form), 400


@bp.post("/update")
def update():
    form = UpdateLineForm()
    if not form.validate():
        return render_cart([first_error(form)], 400)
    try:
        cart = set_quantity(current_cart(), form.variant_id.data, form.quantity.data,
                            max_per_line=current_app.config["MAX_QUANTITY_PER_LINE"])
    except CartError as error:
        return render_cart([str(error)], 400)
    save_cart(cart)
    flash("Your cart is updated.", "success")
    return redirect(url_for("cart.view"), code=303)


@bp.post("/remove")
def remove():
    form = RemoveLineForm()
    if not form.validate():
        return render_cart([first_error(form)], 400)
    cart = current_cart()
    if form.variant_id.data not in cart:
        return render_cart(["That item is not in your cart."], 400)
    save_cart(remove_from_cart(cart, form.variant_id.data))
    flash("Removed from your cart.", "success")
    return redirect(url_for("cart.view"), code=303)
