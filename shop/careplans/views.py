"""Care plan pages: the practitioner's (build, share, revoke) and the patient's (open, add to cart)."""
import io
from functools import wraps

import segno
from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from shop.cart.forms import ID_RANGE, first_error
from shop.cart.services import CartError
from shop.cart.views import current_cart, save_cart
from shop.careplans.models import MAX_NOTE_LENGTH
from shop.careplans.services import (
    PlanError,
    PlanNotFound,
    add_item,
    can_make_plans,
    choose_items,
    copy_plan,
    count_opening,
    create_plan,
    needs_acknowledgement,
    new_link,
    open_plan,
    orders_from,
    plan_of,
    plans_of,
    remove_item,
    rename_plan,
    revoke,
    set_guides,
    update_item,
)
from shop.catalog.services import find_sizes
from shop.extensions import limiter
from shop.guides.services import list_guides
from shop.reorder.services import Wanted, add_many

bp = Blueprint("careplans", __name__)

GUESSING = "Too many care plan links tried from here. Please check the link you were given, or wait a few minutes."


class PlanForm(FlaskForm):
    title = StringField("Plan title", validators=[InputRequired("Give the plan a title."), Length(max=120)],
                        description="For example “Lower back, weeks 1–4”. Patients see it; don't put their name in it.")
    is_template = BooleanField("Keep as a template for other patients")


class ItemForm(FlaskForm):
    variant_id = IntegerField(validators=[InputRequired("Choose a product."), ID_RANGE])
    quantity = IntegerField("Quantity", default=1, validators=[InputRequired("Enter the quantity as a whole number.")])
    note = TextAreaField("How to use it", validators=[Optional(), Length(max=MAX_NOTE_LENGTH)])


class ItemEditForm(FlaskForm):
    quantity = IntegerField("Quantity", validators=[InputRequired("Enter the quantity as a whole number.")])
    note = TextAreaField("How to use it", validators=[Optional(), Length(max=MAX_NOTE_LENGTH)])


class PlainForm(FlaskForm):
    pass


def practitioners_only(view):
    """Approved practitioners only: others signed in get 403, visitors the sign-in page."""
    @wraps(view)
    @login_required
    def guarded(*args, **kwargs):
        if not can_make_plans(current_user):
            abort(403, description="Care plans are for approved practitioners. Apply for a trade account from your account page.")
        return view(*args, **kwargs)
    return guarded


def _limit() -> int:
    return current_app.config["MAX_QUANTITY_PER_LINE"]


def _own_plan(plan_id):
    plan = plan_of(current_user, plan_id)
    if plan is None:
        abort(404, description="We couldn't find that care plan.")
    return plan


def _plan_page(plan, status=200, errors=(), item_form=None):
    q = request.args.get("q", "")[:100]
    return render_template(
        "careplans/edit.html", plan=plan, orders=orders_from(plan), results=find_sizes(q, limit=20) if q.strip() else [], q=q,
        plan_form=PlanForm(obj=plan, formdata=None), item_form=item_form or ItemForm(formdata=None),
        guides=list_guides(), errors=list(errors), form=PlainForm(),
        link=url_for("careplans.patient_view", token=plan.token, _external=True),
    ), status


@bp.get("/plans")
@practitioners_only
def index():
    return render_template("careplans/index.html", plans=plans_of(current_user), form=PlanForm(formdata=None),
                           plain=PlainForm())


@bp.post("/plans")
@practitioners_only
def create():
    form = PlanForm()
    if not form.validate():
        return render_template("careplans/index.html", plans=plans_of(current_user), form=form, plain=PlainForm(),
                               errors=[first_error(form)]), 400
    try:
        plan = create_plan(current_user, form.title.data, form.is_template.data)
    except PlanError as error:
        return render_template("careplans/index.html", plans=plans_of(current_user), form=form, plain=PlainForm(),
                               errors=[str(error)]), 400
    flash("Plan created. Add the products and guides for your patient.", "success")
    return redirect(url_for("careplans.edit", plan_id=plan.id), code=303)


@bp.get("/plans/<int:plan_id>")
@practitioners_only
def edit(plan_id):
    return _plan_page(_own_plan(plan_id))


def _change(plan_id, change, message):
    """Run one change to the practitioner's own plan; a PlanError re-renders the page with a 400."""
    plan = _own_plan(plan_id)
    try:
        change(plan)
    except (PlanError, CartError) as error:
        return _plan_page(plan, 400, [str(error)])
    flash(message, "success")
    return redirect(url_for("careplans.edit", plan_id=plan.id), code=303)


@bp.post("/plans/<int:plan_id>/title")
@practitioners_only
def retitle(plan_id):
    form = PlanForm()
    if not form.validate():
        return _plan_page(_own_plan(plan_id), 400, [first_error(form)])
    return _change(plan_id, lambda plan: rename_plan(plan, form.title.data, form.is_template.data), "Plan saved.")


@bp.post("/plans/<int:plan_id>/items")
@practitioners_only
def add(plan_id):
    form = ItemForm()
    if not form.validate():
        return _plan_page(_own_plan(plan_id), 400, [first_error(form)], item_form=form)
    return _change(plan_id, lambda plan: add_item(plan, form.variant_id.data, form.quantity.data, form.note.data or "",
                                                   max_per_line=_limit()), "Added to the plan.")


@bp.post("/plans/<int:plan_id>/items/<int:item_id>")
@practitioners_only
def change_item(plan_id, item_id):
    form = ItemEditForm()
    if not form.validate():
        return _plan_page(_own_plan(plan_id), 400, [first_error(form)])
    return _change(plan_id, lambda plan: update_item(plan, item_id, form.quantity.data, form.note.data or "",
                                                      max_per_line=_limit()), "Saved.")


@bp.post("/plans/<int:plan_id>/items/<int:item_id>/remove")
@practitioners_only
def drop_item(plan_id, item_id):
    if not PlainForm().validate():
        abort(400)
    return _change(plan_id, lambda plan: remove_item(plan, item_id), "Removed from the plan.")


@bp.post("/plans/<int:plan_id>/guides")
@practitioners_only
def guides(plan_id):
    if not PlainForm().validate():
        abort(400)
    raw = request.form.getlist("guide_id")
    if not all(value.isdigit() for value in raw):
        return _plan_page(_own_plan(plan_id), 400, ["One of those guides is not available."])
    return _change(plan_id, lambda plan: set_guides(plan, [int(v) for v in raw]), "Guides saved.")


@bp.post("/plans/<int:plan_id>/revoke")
@practitioners_only
def revoke_link(plan_id):
    if not PlainForm().validate():
        abort(400)
    return _change(plan_id, revoke, "The link is revoked: it shows a “no longer available” page from now on.")


@bp.post("/plans/<int:plan_id>/new-link")
@practitioners_only
def renew_link(plan_id):
    if not PlainForm().validate():
        abort(400)
    return _change(plan_id, new_link, "The plan has a new link; the old one no longer works.")


@bp.post("/plans/<int:plan_id>/copy")
@practitioners_only
def copy(plan_id):
    if not PlainForm().validate():
        abort(400)
    plan = copy_plan(_own_plan(plan_id), current_user)
    flash("A new plan from the template, with its own link. Adjust it for this patient.", "success")
    return redirect(url_for("careplans.edit", plan_id=plan.id), code=303)


@bp.get("/plans/<int:plan_id>/qr.svg")
@practitioners_only
def qr(plan_id):
    plan = _own_plan(plan_id)
    if not plan.is_live:
        abort(404, description="This plan's link is revoked.")
    code = segno.make(url_for("careplans.patient_view", token=plan.token, _external=True), error="m")
    out = io.BytesIO()
    code.save(out, kind="svg", scale=6, border=2, xmldecl=False, title=f"QR code for the care plan “{plan.title}”")
    return Response(out.getvalue(), mimetype="image/svg+xml", headers={"Cache-Control": "private, no-store"})


# --- the patient's side ---------------------------------------------------------------------

def _guessing_limit():
    return current_app.config["PLAN_LINK_GUESS_LIMIT"]


def _not_found(response) -> bool:
    return response.status_code == 404


@bp.get("/plan/<token>")
@limiter.limit(_guessing_limit, deduct_when=_not_found, error_message=GUESSING)
def patient_view(token):
    try:
        plan = open_plan(token)
    except PlanNotFound:
        return render_template("careplans/gone.html"), 404
    opened = session.get("plans_opened", [])
    if plan.id not in opened:  # a patient reloading the page is one opening
        count_opening(plan)
        session["plans_opened"] = (opened + [plan.id])[-20:]
    return render_template("careplans/patient.html", plan=plan, flagged=needs_acknowledgement(plan), form=PlainForm())


@bp.post("/plan/<token>/add")
@limiter.limit(_guessing_limit, deduct_when=_not_found, error_message=GUESSING)
def patient_add(token):
    if not PlainForm().validate():
        abort(400)
    try:
        plan = open_plan(token)
    except PlanNotFound:
        return render_template("careplans/gone.html"), 404
    flagged = needs_acknowledgement(plan)

    def again(message):
        return render_template("careplans/patient.html", plan=plan, flagged=flagged, form=PlainForm(),
                               errors=[message], typed=request.form), 400

    try:
        chosen = choose_items(plan, request.form, max_per_line=_limit())
    except CartError as error:
        return again(str(error))
    chosen_flagged = [c for c in chosen if c.item in flagged]
    if chosen_flagged and request.form.get("acknowledge") != "on":
        return again("Please tick the box to say you have read the allergen and caution notes before adding these products.")
    cart, report = add_many(current_cart(), [Wanted(c.item.variant_id, c.quantity, c.item.variant.product.name) for c in chosen],
                            max_per_line=_limit(), trade=False, currency=current_app.config["STORE_CURRENCY"])
    if not report.lines_added:
        return again(" ".join(report.unavailable + report.short) or "Nothing could be added to your cart.")
    save_cart(cart)
    # Remembered so the cart can price the plan's lines with the clinic's discount and credit the plan.
    session["care_plan"] = {"plan_id": plan.id, "token": plan.token}
    for category, message in report.messages():
        flash(message, category)
    return redirect(url_for("cart.view"), code=303)
