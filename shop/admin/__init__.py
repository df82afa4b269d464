"""The back office at /admin: one blueprint, one guard, short view modules.

Every view is behind `_admins_only`: anonymous visitors go to sign-in, anyone signed in who
is not an admin gets 403, and an admin who has not passed the second factor in this session is
asked for a code (or, with none set up, told how to get a setup link). Views parse input, call one service of the domain package, then
flash and redirect or render; the services own the rules, the audit log and the commit.
"""
from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_login import current_user

from shop.accounts.factor_views import second_factor_passed
from shop.extensions import login_manager

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
def _admins_only():
    if not current_user.is_authenticated:
        if request.method == "GET":
            return login_manager.unauthorized()
        # After signing in, a POST's own address would only answer 405: go to the dashboard.
        return redirect(url_for("accounts.sign_in", next=url_for("admin.dashboard")))
    if not current_user.is_admin:
        abort(403)
    # A password alone never opens the back office: the second factor, passed in this session.
    if not second_factor_passed():
        if not current_user.has_second_factor:
            return render_template("accounts/second_factor_status.html", left=0), 403
        back = request.path if request.method == "GET" else url_for("admin.dashboard")
        return redirect(url_for("accounts.second_factor", next=back))


from shop.admin import (  # noqa: E402,F401
    audit, catalogue, dashboard, data_requests, delivery, guides, inventory, invoices, lots, messages, offers, orders,
    practitioners,
)
