"""The numbers the legal pages state, defined once so the code that enforces them reads the same ones.

Change a number here and the page that states it follows; the retention job
(shop/accounts/retention.py, run by the worker) reads RETENTION rather than keep its own copy.
"""
from dataclasses import dataclass
from datetime import date

# When the wording of the legal pages last changed. A constant, not the wall clock: the date a
# buyer agreed to must not move when nothing changed.
LAST_UPDATED = date(2026, 12, 1)

# The Consumer Contracts Regulations 2013: 14 days from delivery to cancel, 14 more to send the
# goods back, and the refund within 14 days of getting them back.
CANCEL_DAYS = 14
# The store's own, longer promise for unopened items (the footer has always said 30 days).
RETURN_DAYS = 30
# HMRC: business records for six years after the end of the financial year they relate to.
TAX_RECORD_YEARS = 6

# security.txt must say when to stop trusting it (RFC 9116 asks for less than a year ahead).
SECURITY_TXT_EXPIRES = date(2027, 11, 30)


@dataclass(frozen=True)
class Kept:
    """One kind of personal data: what it is, why the store keeps it, and for how long.

    days=None means nothing deletes it today: it is kept until the customer asks us to delete it.
    """

    key: str
    what: str
    why: str
    days: int | None = None
    at_least_years: int | None = None


RETENTION = (
    Kept("unconfirmed", "An account whose email address was never confirmed: the email, name and password hash "
         "given when registering", "so the confirmation link works; the worker deletes it after this long",
         days=30),
    Kept("account", "Your account: name, email address, phone number, a hash of your password (never the "
         "password itself) and, for a trade account, your clinic, profession and registration number",
         "to sign you in, show your orders and, for practitioners, trade prices"),
    Kept("orders", "Your orders: what you bought, the prices, VAT, the delivery address and email you gave, and "
         "the payment reference from Stripe", "to deliver, refund and answer questions about your order, and "
         "because tax law requires business records", at_least_years=TAX_RECORD_YEARS),
    Kept("messages", "Copies of the emails we sent you (order confirmations, delivery, refunds, account links)",
         "so we can see what we told you and send one again that did not arrive; after this long the worker "
         "deletes each email's text, and only whom it went to, when and its subject stay", days=90),
    Kept("back-in-stock", "The email address you gave for an \u201cemail me when it\u2019s back\u201d request",
         "to send that one notice; the request is deleted as soon as the notice is sent, or when you unsubscribe"),
    Kept("supplies", "Your supplies list and, for practitioners, the care plans you wrote",
         "so you can reorder in one click and your patients can open their plans"),
)


def retention(key: str) -> Kept:
    return next(kept for kept in RETENTION if kept.key == key)
