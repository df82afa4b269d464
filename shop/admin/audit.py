from flask import render_template, request

from shop.admin import bp
from shop.admin.common import int_arg
from shop.audit.services import changes, list_audit


@bp.get("/audit")
def audit_log():
    page = list_audit(subject_type=request.args.get("subject", "")[:40], action=request.args.get("action", "")[:60],
                      actor=request.args.get("actor", "")[:254], page=int_arg("page", 1) or 1)
    return render_template("admin/audit.html", page=page, changes=changes)
