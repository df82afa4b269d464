"""Buy again, the supplies list, running-low reminders and the quick order pad."""
import re

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import IntegerField
from wtforms.validators import InputRequired

from shop.cart.forms import ID_RANGE, WHOLE_NUMBER, first_error
from shop.cart.services import CartError
from shop.cart.session import current_cart, save_cart, trade_pricing
from shop.clock import utcnow
from shop.catalog.services import count_sizes, find_sizes
from shop.errors import found_or_404
from shop.orders.visibility import order_of, orders_of
from shop.reorder.running_low import due_items
from shop.paging import page_count
from shop.reorder.services import (
    Wanted,
    add_many,
    add_strictly,
    remove_supply,
    save_to_supplies,
    set_supply_quantity,
    supplies_of,
)

bp = Blueprint("reorder", __name__)
QUICK_ORDER_PER_PAGE = 100


class PlainForm(FlaskForm):
    """A button that only needs its CSRF token."""


class SupplyForm(FlaskForm):
    variant_id = IntegerField(validators=[InputRequired("Choose a size."), ID_RANGE])
    quantity = IntegerField(default=1, validators=[InputRequired(WHOLE_NUMBER)])


class SupplyLineForm(FlaskForm):
    item_id = IntegerField(validators=[InputRequired("That item is not on your supplies list."), ID_RANGE])
    quantity = IntegerField(default=1)


def _limit() -> int:
    return current_app.config["MAX_QUANTITY_PER_LINE"]


def _add_and_report(wanted: list[Wanted]):
    cart, report = add_many(current_cart(), wanted, max_per_line=_limit(), trade=trade_pricing(),
                            currency=current_app.config["STORE_CURRENCY"])
    save_cart(cart)
    for category, message in report.messages():
        flash(message, category)
    return redirect(url_for("cart.view"), code=303)


def _own_order_or_404(order_id):
    return found_or_404(order_of(current_user, order_id), "We couldn't find that order in your account.")


def _wanted_from(order) -> list[Wanted]:
    same_pricing = order.pricing == ("trade" if trade_pricing() else "retail")
    return [
        Wanted(line.variant_id, line.quantity, f"{line.product_name} ({line.size_label})",
               line.unit_price_pence if same_pricing else None)
        for line in order.lines
    ]


@bp.post("/account/orders/<int:order_id>/buy-again")
@login_required
def buy_again(order_id):
    if not PlainForm().validate():
        abort(400)
    return _add_and_report(_wanted_from(_own_order_or_404(order_id)))


@bp.post("/account/orders/<int:order_id>/save-to-supplies")
@login_required
def save_order_to_supplies(order_id):
    if not PlainForm().validate():
        abort(400)
    order = _own_order_or_404(order_id)
    wanted = [Wanted(line.variant_id, min(line.quantity, _limit())) for line in order.lines]
    saved = save_to_supplies(current_user, wanted, max_per_line=_limit())
    flash(f"Saved {saved} item{'s' if saved != 1 else ''} from order {order.number} to your supplies list.", "success")
    return redirect(url_for("reorder.supplies"), code=303)


@bp.get("/account/supplies")
@login_required
def supplies():
    return render_template("reorder/supplies.html", items=supplies_of(current_user), trade=trade_pricing())


def _supplies_error(message, status=400):
    return render_template("reorder/supplies.html", items=supplies_of(current_user), trade=trade_pricing(),
                           errors=[message]), status


@bp.post("/account/supplies/add")
@login_required
def supplies_add():
    form = SupplyForm()
    if not form.validate():
        return _supplies_error(first_error(form))
    try:
        saved = save_to_supplies(current_user, [Wanted(form.variant_id.data, form.quantity.data)], max_per_line=_limit())
    except CartError as error:
        return _supplies_error(str(error))
    if not saved:
        return _supplies_error("That product is not available.")
    flash("Saved to your supplies list.", "success")
    return redirect(url_for("reorder.supplies"), code=303)


@bp.post("/account/supplies/update")
@login_required
def supplies_update():
    form = SupplyLineForm()
    if not form.validate() or form.quantity.data is None:
        return _supplies_error(first_error(form) if form.errors else WHOLE_NUMBER)
    try:
        set_supply_quantity(current_user, form.item_id.data, form.quantity.data, max_per_line=_limit())
    except CartError as error:
        return _supplies_error(str(error))
    flash("Usual quantity saved.", "success")
    return redirect(url_for("reorder.supplies"), code=303)


@bp.post("/account/supplies/remove")
@login_required
def supplies_remove():
    form = SupplyLineForm()
    if not form.validate():
        return _supplies_error(first_error(form))
    try:
        remove_supply(current_user, form.item_id.data)
    except CartError as error:
        return _supplies_error(str(error))
    flash("Removed from your supplies list.", "success")
    return redirect(url_for("reorder.supplies"), code=303)


@bp.post("/account/supplies/to-cart")
@login_required
def supplies_to_cart():
    if not PlainForm().validate():
        abort(400)
    items = supplies_of(current_user)
    if not items:
        return _supplies_error("Your supplies list is empty.")
    return _add_and_report([Wanted(i.variant_id, i.quantity, f"{i.variant.product.name} ({i.variant.size_label})") for i in items])


@bp.post("/account/running-low/to-cart")
@login_required
def running_low_to_cart():
    if not PlainForm().validate():
        abort(400)
    today = utcnow().date()
    chosen = set(request.form.getlist("product_id"))
    due = [e for e in due_items(orders_of(current_user)) if e.is_due(today) and (not chosen or str(e.product_id) in chosen)]
    if not due:
        flash("Nothing is due yet.", "info")
        return redirect(url_for("my_account.home"), code=303)
    return _add_and_report([Wanted(e.variant_id, e.quantity, f"{e.product_name} ({e.size_label})") for e in due])


# --- quick order pad ------------------------------------------------------------------------

QTY_FIELD = re.compile(r"^qty-(\d{1,9})$")  # longer ids name nothing


def _page_number() -> int:
    raw = request.args.get("page", "1")
    return int(raw) if raw.isdigit() and 0 < int(raw) < 100_000 else 1


def _quick_order_page(status=200, typed=None, problems=None, errors=()):
    q = request.args.get("q", "")[:100]
    page = _page_number()
    variants = find_sizes(q, limit=QUICK_ORDER_PER_PAGE, offset=(page - 1) * QUICK_ORDER_PER_PAGE)
    total = count_sizes(q)
    pages = page_count(total, QUICK_ORDER_PER_PAGE)
    return render_template(
        "reorder/quick_order.html", variants=variants, total=total, q=q, page=page, pages=pages,
        typed=typed or {}, problems=problems or {}, errors=list(errors), form=PlainForm(), trade=trade_pricing(),
    ), status


@bp.get("/quick-order")
def quick_order():
    return _quick_order_page()


@bp.post("/quick-order")
def quick_order_add():
    form = PlainForm()
    if not form.validate():
        abort(400)
    typed, wanted, problems = {}, [], {}
    for key, value in request.form.items():
        match = QTY_FIELD.match(key)
        if not match:
            continue
        variant_id, value = int(match.group(1)), value.strip()[:10]
        typed[variant_id] = value
        if value in ("", "0"):
            continue
        if not value.isdigit() or not 1 <= int(value) <= _limit():
            problems[variant_id] = f"Enter a whole number from 0 to {_limit()}."
            continue
        wanted.append(Wanted(variant_id, int(value)))
    if not problems and not wanted:
        return _quick_order_page(400, typed, errors=["Enter a quantity for at least one item."])
    # The well-formed lines are checked against stock even when others are malformed, so the
    # buyer sees every problem in one round rather than fixing the numbers, then the stock.
    cart, stock_problems = add_strictly(current_cart(), wanted, max_per_line=_limit())
    problems.update(stock_problems)
    if problems:
        return _quick_order_page(400, typed, problems,
                                 errors=[f"{len(problems)} item{'s' if len(problems) != 1 else ''} can't be added as typed; "
                                         "nothing was added. Please correct the quantities marked below."])
    save_cart(cart)
    units = sum(w.quantity for w in wanted)
    flash(f"Added {len(wanted)} line{'s' if len(wanted) != 1 else ''} ({units} item{'s' if units != 1 else ''}) to your cart.", "success")
    return redirect(url_for("cart.view"), code=303)
