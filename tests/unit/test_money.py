import pytest

from shop.money import format_money, per_hundred


@pytest.mark.parametrize(
    "pence, text",
    [(0, "£0.00"), (5, "£0.05"), (1299, "£12.99"), (129999, "£1,299.99"), (-250, "-£2.50")],
)
def test_pence_are_shown_as_pounds(pence, text):
    assert format_money(pence) == text


def test_floats_are_refused_so_money_never_drifts():
    with pytest.raises(TypeError):
        format_money(12.99)


def test_price_per_100_rounds_half_up_to_the_penny():
    assert per_hundred(12999, 5000) == 260  # 5 L at £129.99 is £2.5998 per 100 ml
    assert per_hundred(799, 100) == 799
    assert per_hundred(1499, 250) == 600  # 599.6 -> 600
    assert per_hundred(1, 200) == 1  # 0.5 rounds up


def test_price_per_100_needs_a_size():
    with pytest.raises(ValueError):
        per_hundred(100, 0)
