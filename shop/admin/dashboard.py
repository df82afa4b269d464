from flask import render_template

from shop.accounts.backoffice import pending_count
from shop.admin import bp
from shop.clock import utcnow
from shop.orders.stock_report import count_sizes, stock_table
from shop.messages.services import failure_count
from shop.orders.backoffice import dashboard_figures


@bp.get("/")
def dashboard():
    # The first few low or out sizes and how many there are, counted by the database (30,000 sizes load nothing).
    low = stock_table(sort="on-hand", state="low-or-out", limit=15)
    return render_template("admin/dashboard.html", figures=dashboard_figures(), low=low, low_total=count_sizes(state="low-or-out"),
                           pending=pending_count(), failed_emails=failure_count(), today=utcnow().date().isoformat())
