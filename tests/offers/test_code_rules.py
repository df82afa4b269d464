"""Discount code rules at the service, each with the message the buyer reads."""
from datetime import datetime

import pytest

from shop.offers.services import CodeLine, CodeRefused, normalise_code, price_code
from tests import factories as make
from tests.offers import support

NOW = datetime(2026, 12, 2, 12, 0)


@pytest.fixture
def lines(app):
    cream = make.product("Arnica Cream", category_slug="creams", sizes=((100, 1399, 10),))
    oil = make.product("Grapeseed Oil", category_slug="oils", sizes=((100, 699, 10),))
    return {"cream": cream, "oil": oil,
            "lines": [CodeLine(cream.id, cream.category_id, 1399), CodeLine(oil.id, oil.category_id, 2 * 699)]}


def refusal(text, lines, **who):
    with pytest.raises(CodeRefused) as refused:
        price_code(text, lines=lines, trade=who.pop("trade", False), now=NOW, **who)
    return str(refused.value)


def test_codes_are_normalised():
    assert normalise_code("  spring 10 ") == "SPRING10"
    for bad, message in [("", "Enter a discount code."), ("   ", "Enter a discount code."),
                         ("50%OFF!", "We don't recognise the code “50%OFF!”")]:
        with pytest.raises(CodeRefused, match=message):
            normalise_code(bad)


def test_each_rule_refuses_with_its_own_message(lines):
    cream, lines_ = lines["cream"], lines["lines"]
    support.code("OLD", valid_until=datetime(2026, 11, 30))
    support.code("SOON", valid_from=datetime(2026, 12, 25))
    support.code("GONE", max_uses=3, uses_taken=3)
    support.code("BIG", min_spend_pence=5000)
    support.code("OILS", scope="category", category_id=make.category("oils").id)
    only_balm = support.code("BALM", scope="products")
    only_balm.products = [make.product("Calendula Balm", sizes=((50, 999, 5),))]
    support.code("FIRST", first_order_only=True)
    support.code("OFF", active=False)
    assert refusal("nope", lines_) == "We don't recognise the code “NOPE”. Check it and try again."
    assert refusal("off", lines_) == "We don't recognise the code “OFF”. Check it and try again."
    assert refusal("old", lines_) == "The code OLD expired on 30 November 2026."
    assert refusal("soon", lines_) == "The code SOON can be used from 25 December 2026."
    assert refusal("gone", lines_) == "The code GONE has been used as many times as it can be."
    assert refusal("big", lines_) == "Spend £50.00 on items to use the code BIG (your items come to £27.97)."
    assert refusal("oils", lines_[:1]) == "The code OILS is for oils, and nothing in your cart is."
    assert refusal("balm", lines_) == "The code BALM is for Calendula Balm, and nothing in your cart is."
    assert refusal("first", lines_, user_id=None, email="jo@example.com", ordered_before=True) == \
        "The code FIRST is for a first order only."
    support.code("SPRING10")
    assert refusal("spring10", lines_, trade=True) == "The code SPRING10 isn't for trade prices."


def test_percent_off_rounds_half_up_and_counts_only_lines_in_scope(lines):
    support.code("TEN", percent_off=10)
    support.code("OILS15", percent_off=15, scope="category", category_id=make.category("oils").id)
    support.code("FIVER", kind="fixed", amount_off_pence=500)
    support.code("HUGE", kind="fixed", amount_off_pence=5000)
    found = lambda text: price_code(text, lines=lines["lines"], trade=False, now=NOW).goods_off_pence  # noqa: E731
    assert found("ten") == 280  # 10% of £27.97 is 279.7p
    assert found("oils15") == 210  # 15% of the oil's £13.98 only (209.7p)
    assert found("fiver") == 500
    assert found("huge") == 2797  # never more than the items


def test_a_cap_per_customer_counts_their_account_or_their_email(lines):
    from shop.extensions import db
    from shop.offers.models import DiscountUse

    once = support.code("ONCE", max_uses_per_customer=1)
    buyer = make.user("jo@example.com")
    order = make.paid_order(buyer, [(lines["oil"].variants[0], 1)])
    db.session.add(DiscountUse(code_id=once.id, order_id=order.id, user_id=None, email="Jo@Example.com",
                               discount_pence=70, status="used"))
    db.session.commit()
    message = "You've already used the code ONCE as many times as it allows."
    assert refusal("once", lines["lines"], user_id=buyer.id, email="jo@example.com") == message
    assert refusal("once", lines["lines"], user_id=None, email="JO@example.com") == message
    assert price_code("once", lines=lines["lines"], trade=False, now=NOW, email="sam@example.com").goods_off_pence == 280
