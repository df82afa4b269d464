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


def build_plan(client, products, title="Lower back, weeks 1–4"):
    arnica, almond, gel = products
    created = post(client, "/plans", {"title": title})
    assert created.status_code == 303
    plan_id = int(created.headers["Location"].rsplit("/", 1)[1])
    for product, quantity, note in ((arnica, 1, "Twice daily after a warm shower."), (almond, 2, "For the evening massage."),
                                    (gel, 1, "")):
        answer = post(client, f"/plans/{plan_id}/items", {"variant_id": product.variants[0].id, "quantity": quantity, "note": note})
        assert answer.status_code == 303
    return db.session.get(CarePlan, plan_id)


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
    for url, data in ((f"/plans/{plan.id}/title", {"title": "Mine now"}), (f"/plans/{plan.id}/revoke", {}),
                      (f"/plans/{plan.id}/items/{item.id}/remove", {}), (f"/plans/{plan.id}/copy", {})):
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
    assert post(client, f"/plans/{plan.id}/items/{first.id}", {"quantity": 3, "note": "Morning only."}).status_code == 303
    assert post(client, f"/plans/{plan.id}/items/{plan.items[2].id}/remove").status_code == 303
    guide = make.guide("Patch testing")
    assert post(client, f"/plans/{plan.id}/guides", {"guide_id": guide.id}).status_code == 303
    db.session.expire_all()
    assert [(i.quantity, i.note) for i in plan.items] == [(3, "Morning only."), (2, "For the evening massage.")]
    assert [g.title for g in plan.guides] == ["Patch testing"]
    page = client.get(f"/plans/{plan.id}").get_data(as_text=True)
    assert "/plan/" + plan.token in page and "qr.svg" in page
    qr = client.get(f"/plans/{plan.id}/qr.svg")
    assert qr.status_code == 200 and qr.mimetype == "image/svg+xml" and b"<svg" in qr.data


@pytest.mark.parametrize("data, message", [
    ({"quantity": 0}, "from 1 to 99"), ({"quantity": 100}, "from 1 to 99"), ({"quantity": "lots"}, "whole number"),
    ({"quantity": 1, "note": "x" * 301}, "300"),
])
def test_bad_items_are_refused_and_nothing_changes(app, products, data, message):
    client = practitioner(app)
    plan = build_plan(client, products)
    answer = post(client, f"/plans/{plan.id}/items", {"variant_id": products[0].variants[0].id, **data})
    assert answer.status_code == 400 and message in answer.get_data(as_text=True)
    db.session.expire_all()
    assert [i.quantity for i in plan.items] == [1, 2, 1]


def test_a_template_is_reused_with_a_new_link(app, products):
    client = practitioner(app)
    template = build_plan(client, products, title="Post-op knee")
    assert post(client, f"/plans/{template.id}/title", {"title": "Post-op knee", "is_template": "y"}).status_code == 303
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
    post(client, f"/plans/{plan.id}/new-link")
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
    post(client, f"/plans/{plan.id}/items/{plan.items[2].id}", {"quantity": 1, "note": "<script>alert(1)</script> gently"})
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
