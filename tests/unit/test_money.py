import pytest

from shop.money import format_money, per_hundred, vat_included


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


@pytest.mark.parametrize(
    "total, rate, vat",
    [(12000, 20, 2000), (9000, 20, 1500), (1503, 20, 251), (1502, 20, 250), (3, 20, 1), (0, 20, 0),
     (1050, 5, 50), (999, 0, 0), (10_000_001, 20, 1_666_667)],
)
def test_vat_included_in_a_price_is_whole_pence_rounded_half_up(total, rate, vat):
    # £15.03 at 20% holds £2.505 of VAT: half a penny rounds up, where a float rounded to even gave £2.50.
    assert vat_included(total, rate) == vat


def test_vat_included_refuses_floats():
    with pytest.raises(TypeError):
        vat_included(15.03, 20)
