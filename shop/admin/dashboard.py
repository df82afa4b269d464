from flask import render_template

from shop.accounts.backoffice import pending_count
from shop.admin import bp
from shop.clock import utcnow
from shop.orders.stock_report import stock_table
from shop.messages.services import failure_count
from shop.orders.backoffice import dashboard_figures


@bp.get("/")
def dashboard():
    low = [row for row in stock_table(sort="on-hand") if row.state in ("low", "out")]
    return render_template("admin/dashboard.html", figures=dashboard_figures(), low=low[:15], low_total=len(low),
                           pending=pending_count(), failed_emails=failure_count(), today=utcnow().date().isoformat())
