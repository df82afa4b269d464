"""The clinic page (/account/clinic): the owner's team, invitations, limits and sites; a buyer's view of
their clinic and limit; joining from an invitation; and the owner's approval of an order over a limit."""
from functools import wraps

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user

from shop.accounts.forms import form_errors, refused
from shop.accounts.tokens import BadLink
from shop.accounts.views import KEPT_ON_SIGN_IN
from shop.cart.session import priced_current_cart, remember_delivery, save_cart
from shop.cart.views import render_cart  # refusals from the cart are shown on the cart page
from shop.clinics import invitations
from shop.clinics.forms import InviteForm, JoinForm, MemberForm, PlainForm, SiteForm
from shop.clinics.services import ClinicError, add_site, change_member, is_owner, remove_member, remove_site, site_of
from shop.clinics.spending import (
    allowance_of,
    approval_from_link,
    approval_link,
    covers,
    decide,
    request_approval,
    usable_approval,
    waiting_approvals,
    waiting_for,
)
from shop.clock import utcnow
from shop.errors import found_or_404
from shop.extensions import db, limiter
from shop.money import parse_pounds, pounds_text
from shop.problems import Problem

bp = Blueprint("clinics", __name__)
SITE = "clinic_site"  # the session's chosen site of the clinic's address book
APPROVAL = "clinic_approval"  # the session's approved cart being checked out
OWNERS_ONLY = "Only an owner of the clinic can change its team, limits, addresses and payment terms."


def members_only(view):
    @wraps(view)
    def guarded(*args, **kwargs):
        if current_user.clinic_membership is None:
            abort(404, description="You're not part of a clinic. A clinic's owner can invite you from their clinic page.")
        return view(*args, **kwargs)
    return login_required(guarded)


def owners_only(view):
    """Buyers are refused on the server, whatever the page showed them."""
    @wraps(view)
    def guarded(*args, **kwargs):
        if not is_owner(current_user):
            abort(403, description=OWNERS_ONLY)
        return view(*args, **kwargs)
    return members_only(guarded)


def _found(lookup, *args, **kwargs):
    try:
        return lookup(*args, **kwargs)
    except LookupError:
        abort(404, description="We couldn't find that in your clinic.")


def _page(status=200, errors=(), invite_form=None, site_form=None, member_errors=None):
    membership = current_user.clinic_membership
    clinic = membership.clinic
    now = utcnow()
    owner = membership.is_owner
    return render_template(
        "clinics/clinic.html", clinic=clinic, membership=membership, owner=owner,
        invite_form=invite_form or InviteForm(formdata=None), site_form=site_form or SiteForm(formdata=None),
        pending=invitations.pending_invitations(clinic.id, now) if owner else [],
        waiting=[(a, approval_link(a)) for a in waiting_approvals(clinic.id)] if owner else [],
        allowance=allowance_of(current_user, now), errors=list(errors), member_errors=member_errors or {},
        pounds_text=pounds_text,
    ), status


@bp.get("/account/clinic")
@members_only
def clinic():
    return _page()


def _owner_key() -> str:
    return f"clinic-invite:{current_user.id if current_user.is_authenticated else '?'}"


@bp.post("/account/clinic/invite")
@owners_only
@limiter.limit(lambda: current_app.config["CLINIC_INVITATION_LIMIT"], key_func=_owner_key,
               error_message="You've sent a lot of invitations today. Please try again tomorrow, or contact us.")
def invite():
    form = InviteForm()
    if not form.validate():
        return _page(400, form_errors(form), invite_form=form)
    try:
        invitation = invitations.invite(current_user, form.email.data, form.role.data)
    except ClinicError as error:
        return _page(400, refused(form, str(error), error.field), invite_form=form)
    flash(f"Invitation sent to {invitation.email}. The link works for {current_app.config['CLINIC_INVITATION_DAYS']} days.", "success")
    return redirect(url_for("clinics.clinic"), code=303)


@bp.post("/account/clinic/invitations/<int:invitation_id>/revoke")
@owners_only
def revoke_invitation(invitation_id):
    if not PlainForm().validate():
        abort(400)
    try:
        invitation = _found(invitations.revoke, current_user, invitation_id)
    except ClinicError as error:
        return _page(409, [str(error)])
    flash(f"The invitation to {invitation.email} is withdrawn: its link no longer works.", "success")
    return redirect(url_for("clinics.clinic"), code=303)


@bp.post("/account/clinic/members/<int:member_id>")
@owners_only
def change(member_id):
    form = MemberForm()
    problem = None
    limit = None
    if not form.validate():
        problem = form_errors(form)[0]
    elif (form.monthly_limit.data or "").strip() and form.role.data == "buyer":
        try:
            limit = parse_pounds(form.monthly_limit.data, field="monthly limit", allow_zero=True, maximum_pence=100_000_000)
        except ValueError as error:
            problem = str(error)
    if problem is None:
        try:
            member = _found(change_member, current_user, member_id, role=form.role.data, monthly_limit_pence=limit)
        except ClinicError as error:
            problem = str(error)
    if problem is not None:
        return _page(400, [Problem(problem, f"limit-{member_id}")], member_errors={member_id: problem})
    flash(f"Saved: {member.user.name or member.user.email} is {'an owner' if member.is_owner else 'a buyer'}"
          + (f" with a monthly limit of £{pounds_text(member.monthly_limit_pence)}." if member.monthly_limit_pence is not None else "."),
          "success")
    return redirect(url_for("clinics.clinic"), code=303)


@bp.route("/account/clinic/members/<int:member_id>/remove", methods=["GET", "POST"])
@owners_only
def remove(member_id):
    clinic_id = current_user.clinic_membership.clinic_id
    member = found_or_404(next((m for m in current_user.clinic.members if m.id == member_id and m.clinic_id == clinic_id), None),
                          "We couldn't find that member in your clinic.")
    if request.method == "GET":
        return render_template("clinics/remove.html", member=member, form=PlainForm())
    if not PlainForm().validate():
        abort(400)
    try:
        name = _found(remove_member, current_user, member_id)
    except ClinicError as error:
        return _page(409, [str(error)])
    flash(f"{name} is no longer in the clinic: from their next page they see retail prices and none of the clinic's orders.", "success")
    return redirect(url_for("clinics.clinic"), code=303)


@bp.post("/account/clinic/sites")
@owners_only
def add_address():
    form = SiteForm()
    if not form.validate():
        return _page(400, form_errors(form), site_form=form)
    try:
        site = add_site(current_user, **{name: form[name].data or "" for name in
                                         ("site_name", "recipient", "line1", "line2", "city", "postcode")})
    except ClinicError as error:
        return _page(400, refused(form, str(error), error.field), site_form=form)
    flash(f"{site.site_name} is in the clinic's address book: your team can choose it at checkout.", "success")
    return redirect(url_for("clinics.clinic"), code=303)


@bp.post("/account/clinic/sites/<int:site_id>/remove")
@owners_only
def remove_address(site_id):
    if not PlainForm().validate():
        abort(400)
    name = _found(remove_site, current_user, site_id)
    flash(f"{name} is taken out of the address book. Orders already sent there keep their address.", "success")
    return redirect(url_for("clinics.clinic"), code=303)


# --- delivering to a site, from the cart ------------------------------------------------------

@bp.post("/cart/site")
@members_only
def deliver_to_site():
    """A site from the clinic's address book: the cart prices delivery to its postcode and checkout sends
    the parcel there; "" goes back to typing a postcode and giving the address at payment."""
    if not PlainForm().validate():
        abort(400)
    raw = request.form.get("site", "")
    if not raw:
        session.pop(SITE, None)
        flash("Enter the delivery postcode; you'll give the address when you pay.", "success")
        return redirect(url_for("cart.view"), code=303)
    site = site_of(current_user.clinic_membership.clinic_id, int(raw) if raw.isdigit() and len(raw) < 10 else None)
    if site is None:
        abort(404, description="That address isn't in your clinic's address book.")
    method = (session.get("delivery") or {}).get("method") or ""
    remember_delivery(site.postcode, method)
    session[SITE] = site.id
    flash(f"Delivering to {site.site_name}, {site.postcode}.", "success")
    return redirect(url_for("cart.view"), code=303)


def cart_quantities(cart) -> dict[int, int]:
    return {line.variant.id: line.quantity for line in cart.lines}


def chosen_site(cart):
    """The site the cart is delivering to, while its postcode is the one delivery was priced for."""
    membership = current_user.clinic_membership if current_user.is_authenticated else None
    if membership is None:
        return None
    site = site_of(membership.clinic_id, session.get(SITE))
    return site if site is not None and cart.quote is not None and site.postcode == cart.quote.postcode else None


@bp.app_context_processor
def _clinic_in_the_cart():
    def sites():
        membership = current_user.clinic_membership if current_user.is_authenticated else None
        return membership.clinic.addresses if membership is not None else []

    def spending(cart):
        """For a buyer with a limit: their allowance, whether this cart goes over it, and the approval covering it."""
        allowance = allowance_of(current_user) if current_user.is_authenticated else None
        if allowance is None or cart.is_empty:
            return None
        approval = usable_approval(current_user, session.get(APPROVAL))
        over = allowance.is_over_with(cart.total_pence)
        waiting = waiting_for(current_user) if over else None
        return {"allowance": allowance, "over": over,
                "approved": approval if over and covers(approval, cart_quantities(cart), cart.total_pence) else None,
                "waiting": waiting if waiting is not None and waiting.quantities == cart_quantities(cart) else None}

    return {"clinic_sites": sites, "clinic_site": chosen_site, "clinic_spending": spending}


# --- an order over a buyer's limit -----------------------------------------------------------

@bp.post("/account/clinic/ask-approval")
@members_only
def ask_approval():
    if not PlainForm().validate():
        abort(400)
    cart = priced_current_cart()
    try:
        approval = request_approval(current_user, cart)
    except ClinicError as error:
        return render_cart([str(error)], 409, cart=cart)
    owners = ", ".join(m.user.name or m.user.email for m in approval.clinic.owners)
    flash(f"We've asked {owners} to approve this order. We'll email you when they decide; your cart stays as it is.", "success")
    return redirect(url_for("cart.view"), code=303)


@bp.route("/account/clinic/approvals/<token>", methods=["GET", "POST"])
@login_required
def approval(token):
    """The owner's page from the email: signed in as an owner of that clinic, one decision, once."""
    if not is_owner(current_user):
        abort(403, description="Only an owner of the clinic can approve orders. Sign in as the owner to decide.")
    try:
        found = approval_from_link(current_user, token)
    except BadLink as error:
        return render_template("accounts/bad_link.html", message=str(error), again=url_for("clinics.clinic")), 400
    except LookupError:
        abort(404, description="We couldn't find that request in your clinic.")
    form = PlainForm()
    if request.method == "POST":
        if not form.validate() or request.form.get("decision") not in ("approve", "decline"):
            abort(400)
        approve = request.form["decision"] == "approve"
        try:
            decided = decide(current_user, token, approve)
        except ClinicError as error:
            db.session.refresh(found)
            return render_template("clinics/approval.html", approval=found, form=form, errors=[str(error)]), 409
        buyer = decided.buyer.name or decided.buyer.email if decided.buyer else "The buyer"
        flash(f"Approved: {buyer} can check the order out now." if approve else f"Declined: {buyer} is told by email.",
              "success")
        return redirect(url_for("clinics.clinic"), code=303)
    return render_template("clinics/approval.html", approval=found, form=form)


@bp.route("/account/clinic/approved/<int:approval_id>", methods=["GET", "POST"])
@members_only
def approved_cart(approval_id):
    """The buyer's approved order: put it in the cart to check out as usual (priced and stock-checked again)."""
    found = found_or_404(usable_approval(current_user, approval_id),
                         "That approval isn't yours, was already used, or isn't approved.")
    if request.method == "GET":
        return render_template("clinics/approved.html", approval=found, form=PlainForm())
    if not PlainForm().validate():
        abort(400)
    save_cart(found.quantities)
    session[APPROVAL] = found.id
    flash("The approved order is in your cart. Check the delivery and press Checkout.", "success")
    return redirect(url_for("cart.view"), code=303)


# --- joining -----------------------------------------------------------------------------------

def _bad_invitation(message, status=400):
    return render_template("accounts/bad_link.html", message=message, again=url_for("home.index")), status


@bp.route("/clinic/join/<token>", methods=["GET", "POST"])
def join(token):
    try:
        opened = invitations.open_invitation(token)
    except BadLink as error:
        return _bad_invitation(str(error), 410 if "expired" in str(error) or "used" in str(error) or "withdrawn" in str(error) else 400)
    invitation = opened.invitation
    form = JoinForm()
    refusal = None
    if current_user.is_authenticated:
        try:
            invitations.check_joiner(invitation, current_user)
        except ClinicError as error:
            refusal = str(error)
    context = {"invitation": invitation, "existing": opened.existing, "form": form, "refusal": refusal,
               "next": url_for("clinics.join", token=token)}
    if request.method == "GET":
        return render_template("clinics/join.html", **context), 403 if refusal else 200
    if refusal:
        return render_template("clinics/join.html", **context), 403
    if current_user.is_authenticated:
        if not PlainForm().validate():
            abort(400)
        try:
            invitations.accept(token, current_user)
        except (ClinicError, BadLink) as error:
            return render_template("clinics/join.html", **{**context, "refusal": str(error)}), 409
    else:
        if opened.existing is not None:
            return redirect(url_for("accounts.sign_in", next=context["next"]), code=303)
        if not form.validate():
            return render_template("clinics/join.html", **context, errors=form_errors(form)), 400
        try:
            user = invitations.join_with_new_account(token, form.password.data, form.name.data or "")
        except ClinicError as error:
            return render_template("clinics/join.html", **context, errors=refused(form, str(error), error.field)), 400
        except BadLink as error:
            return _bad_invitation(str(error), 409)
        kept = {key: session[key] for key in KEPT_ON_SIGN_IN if key in session}
        session.clear()  # a new session for a new sign-in, as the sign-in page does
        session.update(kept)
        login_user(user)
    flash(f"Welcome to {invitation.clinic.name}. You see its trade prices, orders and supplies list.", "success")
    return redirect(url_for("clinics.clinic"), code=303)
