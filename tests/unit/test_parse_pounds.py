"""Money typed into the back office becomes integer pence through Decimal, or a clear refusal."""
import pytest

from shop.money import parse_pounds, pounds_text


@pytest.mark.parametrize("typed, pence", [
    ("12.50", 1250), ("12.5", 1250), ("12", 1200), ("£1,234.05", 123405), (" 0.01 ", 1), ("0.10", 10), ("19.99", 1999),
])
def test_amounts_in_pounds_and_pence(typed, pence):
    assert parse_pounds(typed) == pence


@pytest.mark.parametrize("typed, message", [
    ("-1", "cannot be negative"), ("-0.01", "cannot be negative"), ("1.999", "two decimal places"),
    ("1.001", "two decimal places"), ("ten", "not an amount"), ("1e3", "not an amount"), ("NaN", "not an amount"),
    ("1.2.3", "not an amount"), ("", "Enter the"), ("0", "more than £0.00"), ("100000000", "please check it"),
    ("0x10", "not an amount"), ("Infinity", "not an amount"),
])
def test_nonsense_is_refused_with_a_message(typed, message):
    with pytest.raises(ValueError, match=message):
        parse_pounds(typed)


def test_zero_when_allowed_and_the_text_a_form_shows():
    assert parse_pounds("0.00", allow_zero=True) == 0
    assert [pounds_text(p) for p in (0, 5, 1250, None)] == ["0.00", "0.05", "12.50", ""]
