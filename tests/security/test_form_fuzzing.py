"""Fuzzing the cart and checkout forms with hypothesis: whatever is posted, never a 500, and
the cart and the database hold only valid things afterwards.

Values: huge and negative numbers, zero, floats, numbers in other scripts, blanks, overlong
strings, control characters and odd unicode, missing and repeated fields, extra fields,
unknown and unpublished variant ids. Every post carries a valid CSRF token, so it reaches
the form's own validation (tests/functional/test_csrf_sweep.py covers missing and forged tokens).

SQLite only: each example is a few requests, and 300 examples per form on PostgreSQL as
well would double the time for no new behaviour (the input handling is the same code;
PostgreSQL-specific writes are covered by the concurrency and storm tests).
"""
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from shop.catalog.models import Variant
from shop.extensions import db
from shop.inventory.models import StockMovement
from shop.orders.models import Order, OrderLine
from tests import factories as make
from tests.helpers import assert_ledger_balances, csrf_token, deliver_by_standard

FUZZ = settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
ALLOWED = {200, 303, 400, 404, 409}
MAX_LINE = 99  # TestConfig's MAX_QUANTITY_PER_LINE (checked in the fixture)


@pytest.fixture(params=["sqlite"])
def backend(request):
    return request.param


@pytest.fixture
def shop(app):
    assert app.config["MAX_QUANTITY_PER_LINE"] == MAX_LINE
    oil = make.product("Fuzz Oil", sizes=((100, 699, 500), (1000, 2999, 3)))
    sold_out = make.product("Gone Balm", sizes=((50, 899, 0),))
    hidden = make.product("Hidden Cream", published=False, sizes=((50, 799, 50),))
    return {
        "buyable": [v.id for v in oil.variants],
        "all": [v.id for v in oil.variants + sold_out.variants + hidden.variants],
        "published": {v.id for v in oil.variants + sold_out.variants},
    }


odd_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=60)
numberish = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.integers(min_value=-3, max_value=MAX_LINE + 3).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.sampled_from(["", " ", "0", "-0", "+5", " 7 ", "1e3", "0x10", "1_000", "٣", "１２", "2\x00", "NaN",
                     "inf", "9" * 40, "1,000", "½", "\u200b1", "null", "[]", "{}", "true"]),
    odd_text,
    st.text(min_size=1000, max_size=4000),  # overlong
)


def field_values(ids):
    # None: the field is left out; a list: the field is repeated.
    single = st.one_of(st.sampled_from(ids).map(str), numberish)
    return st.one_of(st.none(), single, st.lists(single, min_size=2, max_size=3))


def form(draw_fields):
    return st.fixed_dictionaries(draw_fields).map(lambda d: {k: v for k, v in d.items() if v is not None})


def extras():
    return st.dictionaries(st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=20)
                           .filter(lambda k: k != "csrf_token"), odd_text, max_size=3)


def raw_cart(client) -> dict:
    with client.session_transaction() as session:
        return dict(session.get("cart") or {})


def set_cart(client, cart: dict) -> None:
    with client.session_transaction() as session:
        session["cart"] = {str(k): v for k, v in cart.items()}


def assert_cart_valid(client, shop):
    for key, quantity in raw_cart(client).items():
        assert str(key).isdigit() and int(key) in shop["all"], ("unknown variant in the cart", key)
        assert isinstance(quantity, int) and 1 <= quantity <= MAX_LINE, ("bad quantity in the cart", key, quantity)


def db_rows():
    db.session.rollback()
    return (
        db.session.scalar(select(func.count(Order.id))),
        db.session.scalar(select(func.count(StockMovement.id))),
        tuple(db.session.scalars(select(Variant.stock_on_hand).order_by(Variant.id))),
    )


def post(client, url, token, data, extra):
    payload = {**extra, **data, "csrf_token": token}
    response = client.post(url, data=payload)
    body = response.get_data(as_text=True)
    assert response.status_code in ALLOWED, (url, payload, response.status_code, body[-600:])
    assert "Traceback" not in body
    return response


@pytest.fixture
def fuzz_client(client, shop):
    return client, csrf_token(client)


def test_fuzz_add_to_cart(fuzz_client, shop):
    client, token = fuzz_client
    before = db_rows()

    @FUZZ
    @given(start=st.dictionaries(st.sampled_from(shop["buyable"]), st.integers(1, MAX_LINE), max_size=2),
           data=form({"variant_id": field_values(shop["all"]), "quantity": field_values(shop["all"])}),
           extra=extras())
    def add(start, data, extra):
        set_cart(client, start)
        post(client, "/cart/add", token, data, extra)
        assert_cart_valid(client, shop)
        cart = {int(k): v for k, v in raw_cart(client).items()}
        assert set(cart) - set(start) <= set(shop["buyable"]), "only buyable sizes are ever added"

    add()
    assert db_rows() == before  # the cart lives in the session: nothing written


def test_fuzz_update_quantity(fuzz_client, shop):
    client, token = fuzz_client
    before = db_rows()

    @FUZZ
    @given(start=st.dictionaries(st.sampled_from(shop["buyable"]), st.integers(1, MAX_LINE), min_size=1, max_size=2),
           data=form({"variant_id": field_values(shop["all"]), "quantity": field_values(shop["all"])}),
           extra=extras())
    def update(start, data, extra):
        set_cart(client, start)
        post(client, "/cart/update", token, data, extra)
        assert_cart_valid(client, shop)
        assert set(int(k) for k in raw_cart(client)) <= set(start), "an update never adds a line"

    update()
    assert db_rows() == before


def test_fuzz_remove_line(fuzz_client, shop):
    client, token = fuzz_client
    before = db_rows()

    @FUZZ
    @given(start=st.dictionaries(st.sampled_from(shop["buyable"]), st.integers(1, MAX_LINE), max_size=2),
           data=form({"variant_id": field_values(shop["all"])}),
           extra=extras())
    def remove(start, data, extra):
        set_cart(client, start)
        post(client, "/cart/remove", token, data, extra)
        assert_cart_valid(client, shop)
        after = {int(k): v for k, v in raw_cart(client).items()}
        assert set(after) <= set(start) and all(after[k] == start[k] for k in after), "remove only removes"

    remove()
    assert db_rows() == before


def test_fuzz_checkout(fuzz_client, shop):
    """Checkout with whatever the cart forms let through, plus junk fields: valid orders or a clear refusal."""
    client, token = fuzz_client
    line_field = st.fixed_dictionaries({"variant_id": field_values(shop["all"]), "quantity": field_values(shop["all"])})

    @FUZZ
    @given(adds=st.lists(line_field, max_size=3), extra=extras())
    def buy(adds, extra):
        set_cart(client, {})
        deliver_by_standard(client)
        for fields in adds:
            post(client, "/cart/add", token, {k: v for k, v in fields.items() if v is not None}, {})
        orders_before = db.session.scalar(select(func.count(Order.id)))
        response = post(client, "/checkout", token, {}, extra)
        db.session.rollback()
        orders_after = db.session.scalar(select(func.count(Order.id)))
        if response.status_code == 303:
            assert orders_after == orders_before + 1
        else:
            assert orders_after == orders_before, "a refused checkout leaves no order behind"

    buy()
    for line in db.session.scalars(select(OrderLine)):
        assert 1 <= line.quantity <= MAX_LINE and line.variant_id in shop["published"]
        assert line.unit_price_pence > 0
    assert_ledger_balances()
