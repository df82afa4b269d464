"""Discount codes in the back office: creating and editing them (audited), and what each code has done."""
import csv
import io
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import case, column, func, select, table

from shop.audit.services import record_audit
from shop.csvsafe import cell
from shop.extensions import db
from shop.money import parse_pounds, pounds_text
from shop.offers.models import CODE_KINDS, CODE_SCOPES, DiscountCode, DiscountUse
from shop.offers.services import CodeRefused, normalise_code
from shop.problems import Problem

# The orders table, read for the report without importing the orders package (it imports offers).
_orders = table("orders", column("id"), column("total_pence"), column("refunded_pence"), column("paid_at"))


class CodeError(ValueError):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(" ".join(problems))


@dataclass
class CodeFields:
    """A code's form as typed: text, checked by `save_code`."""

    code: str = ""
    kind: str = "percent"
    amount: str = ""  # a whole percent, or pounds and pence
    min_spend: str = ""
    valid_from: str = ""  # YYYY-MM-DD, from the start of that day (UTC)
    valid_until: str = ""  # YYYY-MM-DD, up to the end of that day
    max_uses: str = ""
    max_uses_per_customer: str = ""
    first_order_only: bool = False
    scope: str = "all"
    category_id: str = ""
    product_ids: list[int] = field(default_factory=list)
    applies_to_trade: bool = False
    active: bool = True

    @classmethod
    def of(cls, code: DiscountCode) -> "CodeFields":
        amount = str(code.percent_off) if code.kind == "percent" else pounds_text(code.amount_off_pence) if code.kind == "fixed" else ""
        until = code.valid_until
        return cls(code=code.code, kind=code.kind, amount=amount,
                   min_spend=pounds_text(code.min_spend_pence) if code.min_spend_pence else "",
                   valid_from=code.valid_from.strftime("%Y-%m-%d") if code.valid_from else "",
                   valid_until=(until.fromordinal(until.toordinal() - 1)).strftime("%Y-%m-%d") if until else "",
                   max_uses=str(code.max_uses or ""), max_uses_per_customer=str(code.max_uses_per_customer or ""),
                   first_order_only=code.first_order_only, scope=code.scope, category_id=str(code.category_id or ""),
                   product_ids=[p.id for p in code.products], applies_to_trade=code.applies_to_trade, active=code.active)


def _snapshot(code: DiscountCode) -> dict:
    return {"code": code.code, "kind": code.kind, "percent_off": code.percent_off, "amount_off_pence": code.amount_off_pence,
            "min_spend_pence": code.min_spend_pence, "valid_from": code.valid_from, "valid_until": code.valid_until,
            "max_uses": code.max_uses, "max_uses_per_customer": code.max_uses_per_customer,
            "first_order_only": code.first_order_only, "scope": code.scope, "category_id": code.category_id,
            "product_ids": sorted(p.id for p in code.products), "applies_to_trade": code.applies_to_trade,
            "active": code.active}


def _whole(text: str, name: str, problems: list, input_id: str) -> int | None:
    text = (text or "").strip()
    if not text:
        return None
    if not text.isdigit() or not 0 < int(text) < 1_000_000:
        problems.append(Problem(f"Enter the {name} as a whole number, like 10, or leave it empty.", input_id))
        return None
    return int(text)


def _day(text: str, name: str, problems: list, input_id: str) -> datetime | None:
    text = (text or "").strip()
    if not text:
        return None
    try:
        return datetime.strptime(text, "%Y-%m-%d")
    except ValueError:
        problems.append(Problem(f"Enter the {name} as a date, like 2026-12-31.", input_id))
        return None


def save_code(code_id: int | None, fields: CodeFields, *, actor, products_by_id) -> DiscountCode:
    """Create or edit a code: every field or none, with the change in the audit log in the same transaction."""
    problems: list[Problem] = []
    try:
        text = normalise_code(fields.code)
    except CodeRefused:
        text = ""
        problems.append(Problem("Enter the code: letters, digits, - or _, up to 40.", "code-code"))
    if fields.kind not in CODE_KINDS:
        problems.append(Problem("Choose what the code gives.", "code-kind"))
    percent = amount_off = None
    if fields.kind == "percent":
        percent = _whole(fields.amount, "percentage", problems, "code-amount")
        if percent is None or percent > 100:
            problems.append(Problem("Enter a percentage from 1 to 100.", "code-amount"))
    elif fields.kind == "fixed":
        try:
            amount_off = parse_pounds(fields.amount, field="amount off")
        except ValueError as error:
            problems.append(Problem(str(error), "code-amount"))
    try:
        min_spend = parse_pounds(fields.min_spend, field="minimum spend", allow_zero=True) if fields.min_spend.strip() else 0
    except ValueError as error:
        min_spend = 0
        problems.append(Problem(str(error), "code-min-spend"))
    valid_from = _day(fields.valid_from, "first day", problems, "code-from")
    last_day = _day(fields.valid_until, "last day", problems, "code-until")
    valid_until = datetime.fromordinal(last_day.toordinal() + 1) if last_day else None  # to the end of that day
    if valid_from and valid_until and valid_until <= valid_from:
        problems.append(Problem("The last day is before the first.", "code-until"))
    max_uses = _whole(fields.max_uses, "number of uses", problems, "code-max-uses")
    per_customer = _whole(fields.max_uses_per_customer, "uses per customer", problems, "code-per-customer")
    if fields.scope not in CODE_SCOPES:
        problems.append(Problem("Choose what the code applies to.", "code-scope"))
    category_id = int(fields.category_id) if fields.category_id.isdigit() else None
    if fields.scope == "category" and category_id is None:
        problems.append(Problem("Choose the category the code is for.", "code-category"))
    chosen = [products_by_id[i] for i in fields.product_ids if i in products_by_id]
    if fields.scope == "products" and not chosen:
        problems.append(Problem("Choose the products the code is for.", "code-products"))
    clash = db.session.scalar(select(DiscountCode.id).where(DiscountCode.code == text)) if text else None
    if clash and clash != code_id:
        problems.append(Problem(f"There is already a code {text}.", "code-code"))
    if problems:
        raise CodeError(problems)

    code = db.session.get(DiscountCode, code_id) if code_id else DiscountCode(uses_taken=0)
    before = _snapshot(code) if code_id else {}
    code.code, code.kind, code.percent_off, code.amount_off_pence = text, fields.kind, percent, amount_off
    code.min_spend_pence, code.valid_from, code.valid_until = min_spend, valid_from, valid_until
    code.max_uses, code.max_uses_per_customer, code.first_order_only = max_uses, per_customer, fields.first_order_only
    code.scope = fields.scope
    code.category_id = category_id if fields.scope == "category" else None
    code.products = chosen if fields.scope == "products" else []
    code.applies_to_trade, code.active = fields.applies_to_trade, fields.active
    db.session.add(code)
    db.session.flush()
    record_audit(actor, "offers.code_saved" if code_id else "offers.code_created", code, before, _snapshot(code),
                 summary=f"discount code {code.code}: {code.describe}")
    db.session.commit()
    return code


@dataclass
class CodeReport:
    code: DiscountCode
    uses: int  # paid orders that carried it
    open_uses: int  # reserved by checkouts still open
    revenue_pence: int  # what those orders paid, net of refunds
    discount_pence: int  # what the code took off them (items and delivery)


def code_report() -> list[CodeReport]:
    used = DiscountUse.status == "used"
    rows = db.session.execute(
        select(DiscountCode,
               func.count(case((used, DiscountUse.id))),
               func.count(case((DiscountUse.status == "reserved", DiscountUse.id))),
               func.coalesce(func.sum(case((used, _orders.c.total_pence - _orders.c.refunded_pence), else_=0)), 0),
               func.coalesce(func.sum(case((used, DiscountUse.discount_pence), else_=0)), 0))
        .outerjoin(DiscountUse, DiscountUse.code_id == DiscountCode.id)
        .outerjoin(_orders, _orders.c.id == DiscountUse.order_id)
        .group_by(DiscountCode.id).order_by(DiscountCode.code)
    ).all()
    return [CodeReport(code, int(uses), int(open_), int(revenue), int(discount)) for code, uses, open_, revenue, discount in rows]


def code_report_csv() -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["code", "gives", "active", "uses", "open_checkouts", "revenue_gbp", "discount_given_gbp", "max_uses"])
    for r in code_report():
        writer.writerow([cell(r.code.code), r.code.describe, "yes" if r.code.active else "no", r.uses, r.open_uses,
                         pounds_text(r.revenue_pence), pounds_text(r.discount_pence), r.code.max_uses or ""])
    return out.getvalue()
