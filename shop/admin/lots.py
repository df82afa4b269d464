"""Lots in the back office: search, a lot's page (who received it, who was told, reactions), its CSV, recall."""
from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from shop.admin import bp
from shop.admin.common import confirm_page, confirmed, csv_response
from shop.errors import found_or_404
from shop.extensions import db
from shop.inventory.lots import LotStatusError, quarantine_lot, release_lot, today
from shop.inventory.models import Lot
from shop.recalls.services import RecallError, find_lots, notices_of, recall_lot, recipients_csv, recipients_of


@bp.get("/lots")
def lots():
    q = request.args.get("q", "")[:100]
    return render_template("admin/lots.html", lots=find_lots(q), q=q)


def _lot_page(lot: Lot, errors=None, instructions="", status=200):
    from shop.recalls.reactions import reactions_to

    return render_template("admin/lot.html", lot=lot, recipients=recipients_of(lot.id), notices=notices_of(lot.id),
                           reactions=reactions_to(lot_id=lot.id), errors=errors, instructions=instructions), status


@bp.get("/lots/<int:lot_id>")
def lot(lot_id):
    return _lot_page(found_or_404(db.session.get(Lot, lot_id)))


@bp.get("/lots/<int:lot_id>.csv")
def lot_export(lot_id):
    lot = found_or_404(db.session.get(Lot, lot_id))
    return csv_response(recipients_csv(lot), f"lot-{lot.code}-recipients.csv")


@bp.post("/lots/<int:lot_id>/recall")
def recall(lot_id):
    lot = found_or_404(db.session.get(Lot, lot_id))
    instructions = request.form.get("instructions", "")
    if instructions.strip() and not confirmed():
        count = len({r.order.email for r in recipients_of(lot.id)})
        return confirm_page(f"Recall lot {lot.code} of {lot.variant.sku}?", url_for("admin.recall", lot_id=lot.id),
                            details=[f"{lot.on_hand} unit(s) on the shelf come off sale at once.",
                                     f"{count} customer(s) who received it are emailed your instructions, once."
                                     if count else "Nobody has bought this lot, so nobody is emailed."],
                            button="Recall this lot", back=url_for("admin.lot", lot_id=lot.id))
    try:
        result = recall_lot(lot.id, instructions, actor=current_user)
    except RecallError as error:
        return _lot_page(lot, errors=[error.problem], instructions=instructions, status=error.status)
    told = "nobody bought this lot, so nobody was emailed" if result.nobody_bought else f"{len(result.told)} customer(s) emailed"
    flash(f"Lot {lot.code} recalled: {result.withdrawn} unit(s) taken off sale; {told}.", "info")
    return redirect(url_for("admin.lot", lot_id=lot.id), code=303)


@bp.get("/reactions")
def reactions():
    from shop.recalls.reactions import reactions_to

    return render_template("admin/reactions.html", reactions=reactions_to())


@bp.post("/lots/<int:lot_id>/quarantine")
def quarantine(lot_id):
    return _status_change(lot_id, quarantine_lot, "quarantined: off sale")


@bp.post("/lots/<int:lot_id>/release")
def release(lot_id):
    return _status_change(lot_id, release_lot, "back on sale")


def _status_change(lot_id, change, said):
    lot = found_or_404(db.session.get(Lot, lot_id))
    try:
        change(lot.id, request.form.get("note", ""), actor=current_user, on=today())
    except LotStatusError as error:
        return _lot_page(lot, errors=[str(error)], status=error.status)
    flash(f"Lot {lot.code} is {said}.", "info")
    return redirect(url_for("admin.lot", lot_id=lot.id), code=303)
