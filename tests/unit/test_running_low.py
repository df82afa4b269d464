"""The running-low estimate on constructed order histories."""
from datetime import date, timedelta

from shop.reorder.running_low import Purchase, estimate

START = date(2026, 1, 5)


def bought(product_id, days, quantity=1, variant_id=None, name="Grapeseed Oil", size="5 L"):
    return [Purchase(product_id, name, variant_id or product_id * 10, size, quantity, START + timedelta(days=d)) for d in days]


def test_a_steady_monthly_order_is_due_a_month_after_the_last():
    (e,) = estimate(bought(1, [0, 30, 60, 90], quantity=2))
    assert e.usual_interval_days == 30
    assert e.last_bought == START + timedelta(days=90)
    assert e.next_due == START + timedelta(days=120)
    assert (e.times_bought, e.quantity) == (4, 2)
    assert e.is_due(START + timedelta(days=113)) and not e.is_due(START + timedelta(days=112))


def test_two_orders_are_not_enough_to_guess():
    assert estimate(bought(1, [0, 30])) == []


def test_one_long_gap_does_not_drag_the_estimate():
    # Monthly, except a three-month break over the summer: the median ignores the outlier.
    (e,) = estimate(bought(1, [0, 28, 56, 150, 178]))
    assert e.usual_interval_days == 28


def test_lines_on_the_same_day_count_as_one_order_and_the_last_size_is_suggested():
    history = bought(1, [0, 14], variant_id=11, size="1 L") + bought(1, [28, 28], variant_id=12, size="5 L", quantity=3)
    (e,) = estimate(history)
    assert e.times_bought == 3 and e.usual_interval_days == 14
    assert (e.variant_id, e.size_label, e.quantity) == (12, "5 L", 6)


def test_products_are_estimated_separately_and_soonest_due_first():
    history = bought(1, [0, 60, 120], name="Oil") + bought(2, [100, 110, 120], name="Balm")
    first, second = estimate(history)
    assert (first.product_name, first.next_due) == ("Balm", START + timedelta(days=130))
    assert (second.product_name, second.next_due) == ("Oil", START + timedelta(days=180))
