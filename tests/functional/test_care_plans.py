"""Care plans: practitioners build and share them; patients open the link and buy."""
import re

import pytest
from sqlalchemy import select

from shop.careplans.models import CarePlan, CarePlanItem
from shop.cart.services import clean_cart
from shop.extensions import db
from tests import factories as make
from tests.factories import PASSWORD
from tests.helpers import csrf_token, page_token, sign_in


@pytest.fixture
def products(app):
    arnica = make.product("Arnica Cream", sizes=((100, 1500, 20),), cautions="Not for broken skin.")
    almond = make.product("Sweet Almond Oil", sizes=((250, 1200, 20),), allergens=("tree-nuts",))
    gel = make.product("Cooling Gel", sizes=((100, 1000, 20),))
    return arnica, almond, gel


def practitioner(app, email="jo@clinic.example", status="approved"):
    make.user(email, trade_status=status, name="Jo Physio", clinic_name="Harbour Physio")
    client = app.test_client()
    assert sign_in(client, email, PASSWORD).status_code == 303
    return client


def post(client, url, data=None, token_from=None):
    return client.post(url, data={**(data or {}), "csrf_token": csrf_token(client, token_from)})


def editor_form(plan, **changes):
    """The plan editor's one form as the page fills it in, with the practitioner's changes on top."""
    db.session.expire_all()
    plan = db.session.get(CarePlan, plan.id)
    data = {"title": plan.title, "guide_id": [str(g.id) for g in plan.guides]}
    if plan.is_template:
        data["is_template"] = "y"
    for item in plan.items:
        data[f"qty-{item.id}"], data[f"note-{item.id}"] = str(item.quantity), item.note
    data.update(changes)
    return data


def save(client, plan, **changes):
    return post(client, f"/plans/{plan.id}", editor_form(plan, **changes))


def add_to_plan(client, plan, variant, quantity, note="", **changes):
    return save(client, plan, action=f"add-{variant.id}", **{f"add-qty-{variant.id}": str(quantity), f"add-note-{variant.id}": note},
                **changes)


def build_plan(client, products, title="Lower back, weeks 1–4"):
    arnica, almond, gel = products
    created = post(client, "/plans", {"title": title})
    assert created.status_code == 303
    plan = db.session.get(CarePlan, int(created.headers["Location"].rsplit("/", 1)[1]))
    for product, quantity, note in ((arnica, 1, "Twice daily after a warm shower."), (almond, 2, "For the evening massage."),
                                    (gel, 1, "")):
        assert add_to_plan(client, plan, product.variants[0], quantity, note).status_code == 303
    db.session.expire_all()
    return db.session.get(CarePlan, plan.id)


def cart_of(client):
    with client.session_transaction() as session:
        return clean_cart(session.get("cart"))


# --- who may build plans --------------------------------------------------------------------

@pytest.mark.parametrize("status", [None, "pending", "rejected", "suspended"])
def test_only_approved_practitioners_build_plans(app, products, status):
    client = practitioner(app, status=status)
    assert client.get("/plans").status_code == 403
    assert post(client, "/plans", {"title": "Neck"}).status_code == 403
    assert db.session.scalar(select(CarePlan)) is None


def test_visitors_are_sent_to_sign_in(app):
    answer = app.test_client().get("/plans")
    assert answer.status_code == 302 and "/account/sign-in" in answer.headers["Location"]


def test_only_the_owner_sees_or_changes_a_plan(app, products):
    owner = practitioner(app)
    plan = build_plan(owner, products)
    other = practitioner(app, "sam@clinic.example")
    assert other.get(f"/plans/{plan.id}").status_code == 404
    assert other.get(f"/plans/{plan.id}/qr.svg").status_code == 404
    item = plan.items[0]
    assert other.get(f"/plans/{plan.id}/revoke").status_code == 404
    for url, data in ((f"/plans/{plan.id}", editor_form(plan, title="Mine now")), (f"/plans/{plan.id}/revoke", {}),
                      (f"/plans/{plan.id}", editor_form(plan, action=f"remove-{item.id}")), (f"/plans/{plan.id}/copy", {})):
        assert post(other, url, data).status_code == 404, url
    db.session.expire_all()
    assert (plan.title, plan.is_live, len(plan.items)) == ("Lower back, weeks 1–4", True, 3)
    assert db.session.query(CarePlan).count() == 1
    assert f"/plans/{plan.id}\"" not in other.get("/plans").get_data(as_text=True)


# --- building, editing, templates, revoking -------------------------------------------------

def test_building_and_editing_a_plan(app, products):
    client = practitioner(app)
    plan = build_plan(client, products)
    assert [(i.variant.product.name, i.quantity, i.note) for i in plan.items] == [
        ("Arnica Cream", 1, "Twice daily after a warm shower."), ("Sweet Almond Oil", 2, "For the evening massage."),
        ("Cooling Gel", 1, "")]
    first = plan.items[0]
    assert save(client, plan, **{f"qty-{first.id}": "3", f"note-{first.id}": "Morning only."}).status_code == 303
    assert save(client, plan, action=f"remove-{plan.items[2].id}").status_code == 303
    guide = make.guide("Patch testing")
    assert save(client, plan, guide_id=[str(guide.id)]).status_code == 303
    db.session.expire_all()
    assert [(i.quantity, i.note) for i in plan.items] == [(3, "Morning only."), (2, "For the evening massage.")]
    assert [g.title for g in plan.guides] == ["Patch testing"]
    page = client.get(f"/plans/{plan.id}").get_data(as_text=True)
    assert "/plan/" + plan.token in page and "qr.svg" in page
    qr = client.get(f"/plans/{plan.id}/qr.svg")
    assert qr.status_code == 200 and qr.mimetype == "image/svg+xml" and b"<svg" in qr.data


@pytest.mark.parametrize("quantity, note, message", [
    (0, "", "from 1 to 99"), (100, "", "from 1 to 99"), ("lots", "", "from 1 to 99"), (1, "x" * 301, "300"),
])
def test_bad_items_are_refused_and_nothing_changes(app, products, quantity, note, message):
    client = practitioner(app)
    plan = build_plan(client, products)
    answer = add_to_plan(client, plan, products[0].variants[0], quantity, note)
    assert answer.status_code == 400 and message in answer.get_data(as_text=True)
    db.session.expire_all()
    assert [i.quantity for i in plan.items] == [1, 2, 1]


def test_one_save_keeps_notes_quantities_title_and_guides_together(app, products):
    # The editor used to have a form per product and one for guides: "Save guides" said "Guides saved."
    # and threw away the note just typed. Now every button saves the whole page.
    client = practitioner(app)
    plan = build_plan(client, products)
    arnica_item, almond_item, gel_item = plan.items
    guide = make.guide("Patch testing")
    answer = save(client, plan, title="Lower back, weeks 5–8", guide_id=[str(guide.id)],
                  **{f"note-{arnica_item.id}": "Once daily now.", f"qty-{almond_item.id}": "3"})
    assert answer.status_code == 303
    assert "Plan saved." in client.get(answer.headers["Location"]).get_data(as_text=True)
    db.session.expire_all()
    assert plan.title == "Lower back, weeks 5–8" and [g.title for g in plan.guides] == ["Patch testing"]
    assert [(i.quantity, i.note) for i in plan.items] == [(1, "Once daily now."), (3, "For the evening massage."), (1, "")]

    # Removing one product saves what was typed for the others too.
    answer = save(client, plan, action=f"remove-{gel_item.id}", **{f"note-{almond_item.id}": "Evenings, after a bath."})
    assert answer.status_code == 303
    assert "Cooling Gel (100 ml) removed" in client.get(answer.headers["Location"]).get_data(as_text=True)
    db.session.expire_all()
    assert [(i.variant.product.name, i.note) for i in plan.items] == [
        ("Arnica Cream", "Once daily now."), ("Sweet Almond Oil", "Evenings, after a bath.")]


def test_a_save_with_problems_names_each_one_keeps_what_was_typed_and_writes_nothing(app, products):
    client = practitioner(app)
    plan = build_plan(client, products)
    arnica_item, almond_item, gel_item = plan.items
    guide = make.guide("Patch testing")
    answer = save(client, plan, title="  ", guide_id=[str(guide.id)],
                  **{f"qty-{arnica_item.id}": "0", f"note-{almond_item.id}": "x" * 301, f"note-{gel_item.id}": "Cool, not cold."})
    assert answer.status_code == 400
    text = answer.get_data(as_text=True)
    for message in ("Give the plan a title", "Arnica Cream (100 ml): choose a quantity from 1 to 99.",
                    "Sweet Almond Oil (250 ml): keep the note under 300 characters."):
        assert message in text
    assert "Cool, not cold.</textarea>" in text and f'name="qty-{arnica_item.id}" type="number"' in text
    assert re.search(rf'value="{guide.id}" checked', text)  # the ticked guide stays ticked
    db.session.expire_all()
    assert plan.title == "Lower back, weeks 1–4" and plan.guides == []
    assert [(i.quantity, i.note) for i in plan.items] == [
        (1, "Twice daily after a warm shower."), (2, "For the evening massage."), (1, "")]


def test_revoking_a_link_is_asked_first_and_can_be_undone(app, products):
    client = practitioner(app)
    plan = build_plan(client, products)
    patient = app.test_client()
    # The editor's button saves, then asks on a page of its own; asking changes nothing.
    asked = save(client, plan, action="revoke", **{f"note-{plan.items[0].id}": "Mornings."})
    assert asked.status_code == 303 and asked.headers["Location"].endswith(f"/plans/{plan.id}/revoke")
    page = client.get(asked.headers["Location"]).get_data(as_text=True)
    assert "printed or shared QR code" in page and "Revoke the link" in page and "Keep the link" in page
    db.session.expire_all()
    assert plan.is_live and plan.items[0].note == "Mornings."
    assert patient.get(f"/plan/{plan.token}").status_code == 200

    revoked = post(client, f"/plans/{plan.id}/revoke", token_from=f"/plans/{plan.id}/revoke")
    assert revoked.status_code == 303
    assert patient.get(f"/plan/{plan.token}").status_code == 404
    assert "Restore the link" in client.get(f"/plans/{plan.id}").get_data(as_text=True)

    token = plan.token
    assert save(client, plan, action="restore-link").status_code == 303
    db.session.expire_all()
    assert plan.is_live and plan.token == token  # the same link: printed QR codes work again
    assert patient.get(f"/plan/{token}").status_code == 200


def test_a_copy_of_a_plan_says_what_it_was_copied_from_and_has_its_own_title(app, products):
    client = practitioner(app)
    plan = build_plan(client, products, title="Neck and shoulders")
    copied = post(client, f"/plans/{plan.id}/copy")
    page = client.get(copied.headers["Location"]).get_data(as_text=True)
    flashes = re.findall(r'<p class="flash flash-success">(.*?)</p>', page)  # "You're signed in." may still be there
    assert any("copied from “Neck and shoulders”" in f for f in flashes)
    assert not any("template" in f for f in flashes)  # it was not a template
    assert "<h1>Neck and shoulders (copy)</h1>" in page
    again = save(client, plan, action="copy")
    titles = db.session.scalars(select(CarePlan.title).order_by(CarePlan.id)).all()
    assert titles == ["Neck and shoulders", "Neck and shoulders (copy)", "Neck and shoulders (copy 2)"]
    assert "“Neck and shoulders (copy 2)”" in client.get(again.headers["Location"]).get_data(as_text=True)


def test_a_template_is_reused_with_a_new_link(app, products):
    client = practitioner(app)
    template = build_plan(client, products, title="Post-op knee")
    assert save(client, template, is_template="y").status_code == 303
    copied = post(client, f"/plans/{template.id}/copy")
    assert copied.status_code == 303
    copy = db.session.get(CarePlan, int(copied.headers["Location"].rsplit("/", 1)[1]))
    assert copy.id != template.id and copy.token != template.token and not copy.is_template
    assert [(i.variant_id, i.quantity, i.note) for i in copy.items] == [(i.variant_id, i.quantity, i.note) for i in template.items]
    assert "Use for a new patient" in client.get("/plans").get_data(as_text=True)


def test_revoked_and_unknown_links_show_a_friendly_page(app, products):
    client = practitioner(app)
    plan = build_plan(client, products)
    patient = app.test_client()
    assert patient.get(f"/plan/{plan.token}").status_code == 200
    post(client, f"/plans/{plan.id}/revoke")
    gone = patient.get(f"/plan/{plan.token}")
    assert gone.status_code == 404
    text = gone.get_data(as_text=True)
    assert "This care plan isn't available" in text and "Arnica" not in text
    assert patient.get("/plan/not-a-token").status_code == 404

    old = plan.token
    save(client, plan, action="new-link")
    db.session.expire_all()
    assert plan.token != old
    assert patient.get(f"/plan/{old}").status_code == 404
    assert patient.get(f"/plan/{plan.token}").status_code == 200


def test_plan_links_carry_at_least_128_bits():
    from shop.careplans.models import new_plan_token

    tokens = {new_plan_token() for _ in range(200)}
    assert len(tokens) == 200
    assert all(len(t) * 6 >= 128 and re.fullmatch(r"[A-Za-z0-9_-]+", t) for t in tokens)


def test_guessing_plan_links_is_rate_limited(app, products):
    client = practitioner(app)
    plan = build_plan(client, products)
    guesser = app.test_client()
    for n in range(10):
        assert guesser.get(f"/plan/guess{n:04d}AAAAAAAAAAAAAAAA").status_code == 404
    blocked = guesser.get("/plan/guess9999AAAAAAAAAAAAAAAA")
    assert blocked.status_code == 429 and "Too many care plan links" in blocked.get_data(as_text=True)
    assert guesser.get(f"/plan/{plan.token}").status_code == 429  # even a right guess now waits
    # Patients (elsewhere) opening a real link many times are not limited.
    patient = app.test_client()
    patient.environ_base["REMOTE_ADDR"] = "198.51.100.7"
    for _ in range(15):
        assert patient.get(f"/plan/{plan.token}").status_code == 200


# --- the patient's side ---------------------------------------------------------------------

def test_the_patient_sees_the_plan_with_notes_allergens_and_cautions(app, products):
    client = practitioner(app)
    plan = build_plan(client, products)
    save(client, plan, **{f"note-{plan.items[2].id}": "<script>alert(1)</script> gently"})
    page = app.test_client().get(f"/plan/{plan.token}").get_data(as_text=True)
    assert "Jo Physio" in page and "Harbour Physio" in page and "Lower back, weeks 1–4" in page
    assert "Twice daily after a warm shower." in page
    assert "Tree nuts" in page and "Not for broken skin." in page
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; gently" in page


def test_opening_is_counted_once_per_visit(app, products):
    client = practitioner(app)
    plan = build_plan(client, products)
    first, second = app.test_client(), app.test_client()
    for _ in range(3):
        first.get(f"/plan/{plan.token}")
    second.get(f"/plan/{plan.token}")
    db.session.expire_all()
    assert plan.opened_count == 2
    assert "Opened 2 times" in client.get(f"/plans/{plan.id}").get_data(as_text=True)


def add_plan(patient, plan, acknowledge=True, **fields):
    data = {f"include-{i.id}": "on" for i in plan.items}
    data.update({f"qty-{i.id}": str(i.quantity) for i in plan.items})
    if acknowledge:
        data["acknowledge"] = "on"
    data.update(fields)
    return post(patient, f"/plan/{plan.token}/add", data, token_from=f"/plan/{plan.token}")


def test_flagged_products_need_the_cautions_ticked(app, products):
    plan = build_plan(practitioner(app), products)
    patient = app.test_client()
    refused = add_plan(patient, plan, acknowledge=False)
    assert refused.status_code == 400
    assert "read the allergen and caution notes" in refused.get_data(as_text=True)
    assert cart_of(patient) == {}
    assert add_plan(patient, plan).status_code == 303
    arnica, almond, gel = products
    assert cart_of(patient) == {arnica.variants[0].id: 1, almond.variants[0].id: 2, gel.variants[0].id: 1}


def test_the_patient_can_leave_items_out_and_change_quantities(app, products):
    plan = build_plan(practitioner(app), products)
    arnica_item, almond_item, gel_item = plan.items
    patient = app.test_client()
    data = {f"include-{gel_item.id}": "on", f"qty-{gel_item.id}": "4"}
    # Only the unflagged gel: no caution box needed.
    assert post(patient, f"/plan/{plan.token}/add", data, token_from=f"/plan/{plan.token}").status_code == 303
    assert cart_of(patient) == {gel_item.variant_id: 4}
    bad = post(patient, f"/plan/{plan.token}/add", {f"include-{gel_item.id}": "on", f"qty-{gel_item.id}": "0"},
               token_from=f"/plan/{plan.token}")
    assert bad.status_code == 400 and "from 1 to 99" in bad.get_data(as_text=True)
    assert cart_of(patient) == {gel_item.variant_id: 4}


def test_the_clinics_discount_is_priced_on_the_server(app, products, runner):
    client = practitioner(app)
    plan = build_plan(client, products)
    assert runner.invoke(args=["shop", "set-patient-discount", "jo@clinic.example", "10"]).exit_code == 0
    assert runner.invoke(args=["shop", "set-patient-discount", "jo@clinic.example", "80"]).exit_code != 0
    patient = app.test_client()
    add_plan(patient, plan)
    extra = make.product("Warming Balm", sizes=((50, 800, 10),))  # not in the plan: full price
    patient.post("/cart/add", data={"variant_id": extra.variants[0].id, "quantity": 1, "csrf_token": page_token(patient, "/cart")})
    page = patient.get("/cart").get_data(as_text=True)
    # Arnica £15.00 → £13.50; almond £12.00 → £10.80 ×2; gel £10.00 → £9.00; balm £8.00 full price.
    assert "£13.50 each" in page and "£10.80 each" in page and "£9.00 each" in page and "£8.00 each" in page
    assert "10% patient discount from Harbour Physio" in page
    assert "£52.10" in page  # 13.50 + 21.60 + 9.00 + 8.00
    assert "you save £4.90" in page  # 1.50 + 2 × 1.20 + 1.00
