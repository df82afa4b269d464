"""The trade application checks the clinic's postcode and phone number before anyone reviews it."""
import pytest
from sqlalchemy import select

from shop.accounts.models import TradeAccount
from shop.extensions import db
from shop.phones import PhoneError, normalise_phone
from shop.postcodes import PostcodeError, normalise_postcode
from tests.functional.test_trade_and_reorder import apply, signed_in


@pytest.mark.parametrize("typed, tidy", [
    ("m1 1aa", "M1 1AA"), ("SW1A2AA", "SW1A 2AA"), (" ec1a  1bb ", "EC1A 1BB"), ("b33 8th", "B33 8TH"),
    ("CR2 6XH", "CR2 6XH"), ("DN55 1PT", "DN55 1PT"), ("W1A 0AX", "W1A 0AX"), ("gir 0aa", "GIR 0AA"),
])
def test_uk_postcodes_are_written_the_royal_mail_way(typed, tidy):
    assert normalise_postcode(typed) == tidy


@pytest.mark.parametrize("typed", ["not a postcode!!", "M1", "12345", "QQ1 1AA", "M1 1AAA", "M1 1CA", ""])
def test_anything_else_is_not_a_postcode(typed):
    with pytest.raises(PostcodeError):
        normalise_postcode(typed)


@pytest.mark.parametrize("typed", ["0161 496 0000", "+44 161 496 0000", "+44 (0)161 496 0000", "(01632) 960001",
                                   "01697 73555", "07700 900123", "0113-496-0000"])
def test_uk_phone_numbers_as_people_write_them(typed):
    assert normalise_phone(typed) == typed


@pytest.mark.parametrize("typed", ["abc", "123", "0161 496 00", "0161 496 0000 00", "+1 555 123 4567", "161 496 0000",
                                   "0161 496 0000 ext 2", "+44+44 161 496 000"])
def test_junk_is_not_a_phone_number(typed):
    with pytest.raises(PhoneError):
        normalise_phone(typed)


def test_junk_postcode_and_phone_are_refused_beside_their_fields(app):
    client = signed_in(app, "physio@example.com")
    answer = apply(client, postcode="not a postcode!!", phone="abc")
    assert answer.status_code == 400
    text = answer.get_data(as_text=True)
    assert '<p class="field-error" id="postcode-error">Enter a UK postcode, like M1 1AA or SW1A 2AA.</p>' in text
    assert '<p class="field-error" id="phone-error">Enter a UK phone number, like 0161 496 0000 or +44 161 496 0000.</p>' in text
    assert db.session.scalar(select(TradeAccount)) is None


def test_a_lower_case_postcode_is_kept_in_capitals(app):
    client = signed_in(app, "physio@example.com")
    assert apply(client, postcode="ls1  1aa", phone="+44 (0)113 496 0000").status_code == 303
    account = db.session.scalar(select(TradeAccount))
    assert (account.postcode, account.phone) == ("LS1 1AA", "+44 (0)113 496 0000")
