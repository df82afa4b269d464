from flask import render_template, request

from shop.admin import bp
from shop.admin.common import int_arg
from shop.audit.services import list_audit
from shop.audit.wording import ACTIONS, action_label, changes


@bp.get("/audit")
def audit_log():
    action = request.args.get("action", "")[:60]
    actor = request.args.get("actor", "")[:254]
    page = list_audit(subject_type=request.args.get("subject", "")[:40], action=action, actor=actor,
                      page=int_arg("page", 1) or 1)
    return render_template("admin/audit.html", page=page, changes=changes, action_label=action_label,
                           actions=ACTIONS, action=action, actor=actor)
