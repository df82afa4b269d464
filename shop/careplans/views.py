"""Care plan pages: the practitioner's (build, share, revoke) and the patient's (open, add to cart)."""
import io
import re
from functools import wraps

import segno
from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField
from wtforms.validators import InputRequired, Length

from shop.cart.forms import first_error
from shop.cart.services import CartError
from shop.cart.session import current_cart, remember_plan, save_cart
from shop.careplans.editing import Addition, PlanEdit, PlanProblems, save_plan
from shop.careplans.services import (
    PlanError,
    PlanNotFound,
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
    restore_link,
    revoke,
)
from shop.catalog.services import find_sizes
from shop.errors import found_or_404
from shop.extensions import limiter
from shop.guides.services import list_guides
from shop.reorder.services import Wanted, add_many

bp = Blueprint("careplans", __name__)

GUESSING = "Too many care plan links tried from here. Please check the link you were given, or wait a few minutes."


class PlanForm(FlaskForm):
    title = StringField("Plan title", validators=[InputRequired("Give the plan a title."), Length(max=120)],
                        description="For example “Lower back, weeks 1–4”. Patients see it; don't put their name in it.")
    is_template = BooleanField("Keep as a template for other patients")


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
    return found_or_404(plan_of(current_user, plan_id), "We couldn't find that care plan.")


def _plan_page(plan, status=200, errors=(), typed=None, q=None):
    q = (request.args.get("q", "") if q is None else q)[:100]
    return render_template(
        "careplans/edit.html", plan=plan, orders=orders_from(plan), results=find_sizes(q, limit=20) if q.strip() else [], q=q,
        guides=list_guides(), errors=list(errors), typed=typed, form=PlainForm(),
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


ITEM_QUANTITY = re.compile(r"^qty-(\d{1,9})$")
ACTION = re.compile(r"^(save|find|copy|revoke|new-link|restore-link|remove-\d{1,9}|add-\d{1,9})$")


def _id(raw) -> int:
    return int(raw) if raw.isdigit() and len(raw) <= 9 else -1  # -1 names nothing: the service says so


def _edit_from(form) -> tuple[PlanEdit, str]:
    """The editor's one form: the plan as typed, and which button was pressed."""
    action = form.get("action", "save")
    action = action if ACTION.match(action) else "save"
    edit = PlanEdit(
        title=form.get("title", ""), is_template=form.get("is_template") in ("y", "on"),
        items={int(m.group(1)): (form.get(key, ""), form.get(f"note-{m.group(1)}", ""))
               for key in form if (m := ITEM_QUANTITY.match(key))},
        guide_ids=[_id(v) for v in form.getlist("guide_id")],
    )
    kind, _, ref = action.partition("-")
    if kind == "remove":
        edit.remove_item_id = int(ref)
    elif kind == "add":
        edit.add = Addition(int(ref), form.get(f"add-qty-{ref}", ""), form.get(f"add-note-{ref}", ""))
    return edit, action


def _saved_message(saved) -> str:
    if saved.added:
        return f"Plan saved, with {saved.added} added."
    if saved.removed:
        return f"Plan saved, with {saved.removed} removed."
    return "Plan saved."


@bp.post("/plans/<int:plan_id>")
@practitioners_only
def save(plan_id):
    """Every button on the editor comes here: what was typed is saved first, then the button's own step."""
    if not PlainForm().validate():
        abort(400)
    plan = _own_plan(plan_id)
    edit, action = _edit_from(request.form)
    q = request.form.get("q", "").strip()[:100]
    try:
        saved = save_plan(plan, edit, max_per_line=_limit())
    except PlanProblems as error:
        return _plan_page(plan, 400, error.problems, typed=request.form, q=q)
    if action == "copy":
        return _copy(plan, saved_first=True)
    if action == "revoke":
        flash("Plan saved. Check what revoking the link means before you go ahead.", "info")
        return redirect(url_for("careplans.revoke_link", plan_id=plan.id), code=303)
    if action == "new-link":
        new_link(plan)
        flash("Plan saved. It has a new link and QR code; the old link no longer works, for good.", "success")
    elif action == "restore-link":
        restore_link(plan)
        flash("Plan saved. Its link works again, and so do printed QR codes.", "success")
    else:
        flash(_saved_message(saved), "success")
    # A search typed in the editor is kept, so the results show beside the saved plan.
    return redirect(url_for("careplans.edit", plan_id=plan.id, q=q or None) + ("#add-heading" if q else ""), code=303)


@bp.route("/plans/<int:plan_id>/revoke", methods=["GET", "POST"])
@practitioners_only
def revoke_link(plan_id):
    """Revoking stops printed QR codes working, so it is asked first, on a page of its own."""
    plan = _own_plan(plan_id)
    if request.method == "GET":
        return render_template("careplans/revoke.html", plan=plan, form=PlainForm())
    if not PlainForm().validate():
        abort(400)
    revoke(plan)
    flash("The link is revoked: it and its QR code show a “no longer available” page from now on. "
          "You can restore it, or make a new link, below.", "success")
    return redirect(url_for("careplans.edit", plan_id=plan.id), code=303)


def _copy(plan, saved_first=False):
    copy = copy_plan(plan, current_user)
    origin = f"the template “{plan.title}”" if plan.is_template else f"“{plan.title}”"
    flash(f"{'Plan saved. ' if saved_first else ''}This is a new plan, “{copy.title}”, copied from {origin} with its own link. "
          "Adjust it for this patient.", "success")
    return redirect(url_for("careplans.edit", plan_id=copy.id), code=303)


@bp.post("/plans/<int:plan_id>/copy")
@practitioners_only
def copy(plan_id):
    if not PlainForm().validate():
        abort(400)
    return _copy(_own_plan(plan_id))


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

    def again(message=None, unticked=False):
        # The unticked box gets its own summary, linking to the box (the page focuses it).
        return render_template("careplans/patient.html", plan=plan, flagged=flagged, form=PlainForm(),
                               errors=[message] if message else [], unticked=unticked, typed=request.form), 400

    try:
        chosen = choose_items(plan, request.form, max_per_line=_limit())
    except CartError as error:
        return again(str(error))
    chosen_flagged = [c for c in chosen if c.item in flagged]
    if chosen_flagged and request.form.get("acknowledge") != "on":
        return again(unticked=True)
    cart, report = add_many(current_cart(), [Wanted(c.item.variant_id, c.quantity, c.item.variant.product.name) for c in chosen],
                            max_per_line=_limit(), trade=False, currency=current_app.config["STORE_CURRENCY"])
    if not report.lines_added:
        return again(" ".join(report.unavailable + report.short) or "Nothing could be added to your cart.")
    save_cart(cart)
    # Remembered so the cart can price the plan's lines with the clinic's discount and credit the plan.
    remember_plan({"plan_id": plan.id, "token": plan.token})
    for category, message in report.messages():
        flash(message, category)
    return redirect(url_for("cart.view"), code=303)
