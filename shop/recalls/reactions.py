"""Reports of skin reactions and other undesirable effects, kept and sent to the admins."""
from datetime import date

from flask import render_template, url_for
from sqlalchemy import select

from shop.extensions import db
from shop.inventory.ledger import admin_emails
from shop.messages.outbox import record_message
from shop.recalls.models import SERIOUSNESS, ReactionReport


class ReactionError(ValueError):
    def __init__(self, problems):
        self.problems = problems
        super().__init__(" ".join(problems))


def reactions_to(*, lot_id: int | None = None, product_id: int | None = None, limit: int = 200) -> list[ReactionReport]:
    stmt = select(ReactionReport)
    if lot_id is not None:
        stmt = stmt.where(ReactionReport.lot_id == lot_id)
    if product_id is not None:
        stmt = stmt.where(ReactionReport.product_id == product_id)
    return list(db.session.scalars(stmt.order_by(ReactionReport.id.desc()).limit(limit)))


def report_reaction(*, what_happened: str, seriousness: str, started_on: str = "", email: str = "",
                    product_id: int | None = None, lot_id: int | None = None, order_id: int | None = None,
                    user_id: int | None = None, today: date, lot_as_typed: str = "",
                    problems: list | None = None) -> ReactionReport:
    """Store the report and email every admin, in one transaction. `problems`: the caller's own, reported with ours."""
    from shop.inventory.lot_input import parse_date
    from shop.problems import Problem

    what_happened, email = (what_happened or "").strip(), (email or "").strip().lower()
    problems = list(problems or [])
    if not what_happened:
        problems.append(Problem("Tell us what happened.", "what_happened"))
    elif len(what_happened) > 4000:
        problems.append(Problem("Keep the description under 4,000 characters.", "what_happened"))
    if seriousness not in SERIOUSNESS:
        problems.append(Problem("Choose how serious it was.", "seriousness"))
    when = parse_date(started_on) if started_on else None
    if started_on and (when is None or when > today):
        problems.append(Problem("Give the date it started as 2027-03-31, not in the future.", "started_on"))
    if email and ("@" not in email or len(email) > 254):
        problems.append(Problem("Enter an email address like name@example.com, or leave it empty.", "email"))
    if problems:
        raise ReactionError(problems)
    if lot_as_typed and lot_id is None:  # a code we have no record of: keep it in the words
        what_happened = f"{what_happened}\n\n(Lot code as given: {lot_as_typed.strip()[:60]})"
    report = ReactionReport(product_id=product_id, lot_id=lot_id, order_id=order_id, user_id=user_id, email=email,
                            what_happened=what_happened, started_on=when, seriousness=seriousness)
    db.session.add(report)
    db.session.flush()
    text = render_template("email/reaction_report.txt", report=report,
                           lot_url=url_for("admin.lot", lot_id=lot_id, _external=True) if lot_id else "")
    for admin in admin_emails():
        record_message(admin, f"{'SERIOUS ' if seriousness == 'serious' else ''}Reaction reported: "
                              f"{report.product.name if report.product else 'a product'}", text,
                       kind="reaction_report", about=report)
    db.session.commit()
    return report
