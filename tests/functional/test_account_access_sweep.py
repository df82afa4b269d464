"""Every account, reordering and care plan rule, walked from the URL map, for each kind of visitor."""
import pytest

from shop.careplans.models import CarePlan, CarePlanItem
from shop.extensions import db
from tests import factories as make
from tests.factories import PASSWORD
from tests.helpers import page_token, sign_in

# The second-factor code and the setup link belong to signing in: they stand on the session and the signed link.
OPEN_TO_ALL = {"accounts.sign_out", "accounts.register", "accounts.sign_in", "accounts.request_reset", "accounts.reset_password", "accounts.verify",
               "accounts.second_factor", "accounts.second_factor_setup"}
PLANS_FOR_PRACTITIONERS = "careplans."
PATIENT_VIEWS = {"careplans.patient_view", "careplans.patient_add"}


def private_rules(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint in OPEN_TO_ALL or rule.endpoint in PATIENT_VIEWS:
            continue
        if rule.endpoint.startswith(("accounts.", "my_account.", "reorder.", "careplans.")) and rule.endpoint != "reorder.quick_order" \
                and rule.endpoint != "reorder.quick_order_add":
            for method in sorted(rule.methods & {"GET", "POST"}):
                yield rule, method


@pytest.fixture
def someone_elses(app):
    """Ids of a real order, supply line and plan belonging to another practitioner, for the URLs."""
    oil = make.product("Oil", sizes=((100, 1000, 10),))
    owner = make.user("owner@clinic.example", trade_status="approved")
    order = make.paid_order(owner, [(oil.variants[0], 1)])
    plan = CarePlan(practitioner_id=owner.id, title="Knee", items=[CarePlanItem(variant_id=oil.variants[0].id, quantity=1)])
    db.session.add(plan)
    db.session.commit()
    return {"order_id": order.id, "plan_id": plan.id, "item_id": plan.items[0].id}


def url_for_rule(rule, ids):
    return rule.build({name: ids.get(name, 1) for name in rule.arguments}, append_unknown=False)[1]


def test_anonymous_visitors_are_sent_to_sign_in(app, someone_elses):
    client = app.test_client()
    token = page_token(client, "/account/sign-in")
    checked = 0
    for rule, method in private_rules(app):
        url = url_for_rule(rule, someone_elses)
        answer = client.get(url) if method == "GET" else client.post(url, data={"csrf_token": token})
        assert answer.status_code == 302 and "/account/sign-in" in answer.headers["Location"], (method, url)
        checked += 1
    assert checked >= 20


@pytest.mark.parametrize("status", [None, "approved"])
def test_signed_in_visitors_never_reach_someone_elses_things(app, someone_elses, status):
    make.user("me@example.com", trade_status=status)
    client = app.test_client()
    sign_in(client, "me@example.com", PASSWORD)
    token = page_token(client, "/account")
    for rule, method in private_rules(app):
        url = url_for_rule(rule, someone_elses)
        names_something = bool(rule.arguments)
        answer = client.get(url) if method == "GET" else client.post(url, data={"csrf_token": token})
        if rule.endpoint.startswith(PLANS_FOR_PRACTITIONERS) and status != "approved":
            assert answer.status_code == 403, (method, url)
        elif names_something:
            assert answer.status_code in (400, 404), (method, url, answer.status_code)
        else:
            assert answer.status_code in (200, 303, 400, 409), (method, url, answer.status_code)
    db.session.expire_all()
    plan = db.session.get(CarePlan, someone_elses["plan_id"])
    assert plan.title == "Knee" and plan.is_live and len(plan.items) == 1
