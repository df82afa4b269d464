"""Reporting a reaction: from an order (its lot known) or a product page; stored, emailed to admins, listed."""
from sqlalchemy import select

from shop.clock import utcnow
from shop.extensions import db
from shop.orders.services import transition
from shop.recalls.models import ReactionReport
from tests import factories as make
from tests.admin.support import signed_in
from tests.helpers import csrf_token, email_subjects
from tests.lots.support import pending_order, receive


def test_a_report_from_an_order_names_its_lot_and_reaches_the_admins_and_the_lot_page(app, client):
    admin = make.user(role="admin", email="safety@shop.example")
    balm = make.product("Arnica Balm", sizes=((50, 899, 0),)).variants[0]
    receive(admin, balm, ("RB-7", 3, "2027-07-31"))
    order = pending_order((balm, 1), email="pat@example.com")
    transition(order, "paid", ("pending_payment",), "payment received", paid_at=utcnow(), payment_intent_id="pi_1")
    db.session.commit()
    url = f"/orders/{order.token}/reaction"
    assert "Arnica Balm (50 ml), lot RB-7" in client.get(url).get_data(as_text=True)

    bad = client.post(url, data={"csrf_token": csrf_token(client), "what_happened": "", "seriousness": "dreadful"})
    assert bad.status_code == 422
    assert "Tell us what happened." in bad.get_data(as_text=True) and "Choose how serious it was." in bad.get_data(as_text=True)
    done = client.post(url, data={"csrf_token": csrf_token(client), "line": client.get(url).get_data(as_text=True).split(
        'name="line"')[1].split('value="')[1].split('"')[0], "what_happened": "Red itchy rash on both forearms",
        "started_on": "2026-11-30", "seriousness": "moderate"})
    assert done.status_code == 303
    report = db.session.scalars(select(ReactionReport)).one()
    assert (report.lot.code, report.email, report.seriousness, report.order_id) == ("RB-7", "pat@example.com", "moderate", order.id)
    assert ("safety@shop.example", "Reaction reported: Arnica Balm") in email_subjects(app)

    signed_in(client)
    assert "Red itchy rash" in client.get(f"/admin/lots/{report.lot_id}").get_data(as_text=True)
    assert "Red itchy rash" in client.get("/admin/reactions").get_data(as_text=True)


def test_a_report_from_a_product_page_keeps_a_lot_code_we_do_not_know(app, client):
    make.user(role="admin", email="safety@shop.example")
    oil = make.product("Jojoba Oil", sizes=((100, 999, 5),))
    url = f"/products/{oil.slug}/reaction"
    assert client.get(f"/products/{oil.slug}").get_data(as_text=True).count(url) == 1
    done = client.post(url, data={"csrf_token": csrf_token(client), "lot": "zz-99", "what_happened": "Swollen lips",
                                  "seriousness": "serious", "email": "sam@example.com"})
    assert done.status_code == 303
    report = db.session.scalars(select(ReactionReport)).one()
    assert report.lot_id is None and "(Lot code as given: zz-99)" in report.what_happened
    assert ("safety@shop.example", "SERIOUS Reaction reported: Jojoba Oil") in email_subjects(app)


def test_erasing_a_customer_keeps_their_reaction_report_without_who_made_it(app):
    from shop.my_account.personal_data import erase_personal_data
    from shop.recalls.reactions import report_reaction
    from tests.lots.support import TODAY

    cream = make.product("Calendula Cream", sizes=((50, 700, 3),))
    with app.test_request_context():
        report_reaction(what_happened="Blotchy redness", seriousness="mild", email="leaver@example.com",
                        product_id=cream.id, today=TODAY)
    erase_personal_data("leaver@example.com", None, "the customer")
    report = db.session.scalars(select(ReactionReport)).one()
    assert (report.email, report.user_id, report.what_happened) == ("", None, "Blotchy redness")
