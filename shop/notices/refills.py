"""Refill reminders: for a customer who opted in, one email per running-low item due within 7 days.

A periodic job (shop/messages/jobs.py): "due" is a matter of the calendar, not of any change in
the shop. The estimate is shop/reorder/running_low.py's, the same one the account page shows.
A RefillReminder row per product and due date, unique, keeps it to one email however often the
job runs; a new order moves the due date on, and the next due date may get its own reminder.
"""
from datetime import datetime

from flask import render_template, url_for
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from shop.accounts.models import User
from shop.accounts.tokens import BadLink, make_token, read_token
from shop.extensions import db
from shop.messages.outbox import record_message
from shop.notices.models import RefillReminder, RefillReminderChoice
from shop.orders.visibility import orders_of
from shop.reorder.running_low import DUE_SOON_DAYS, due_items

REFILL = "refill-to-cart"
LINK_MAX_AGE = 30 * 24 * 3600


def wants_reminders(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and db.session.get(RefillReminderChoice, user.id) is not None


def choose_reminders(user, on: bool) -> None:
    """The account page's opt-in; commits."""
    choice = db.session.get(RefillReminderChoice, user.id)
    if on and choice is None:
        db.session.add(RefillReminderChoice(user_id=user.id))
    elif not on and choice is not None:
        db.session.delete(choice)
    db.session.commit()


def remind(now: datetime) -> str:
    """Record the reminders due now: items due in the next 7 days not reminded about for that date. Commits."""
    today = now.date()
    sent = 0
    users = db.session.scalars(select(User).join(RefillReminderChoice, RefillReminderChoice.user_id == User.id)
                               .where(User.email_verified_at.is_not(None)).order_by(User.id)).all()
    for user in users:
        for item in due_items(orders_of(user)):
            if not 0 <= item.days_until_due(today) <= DUE_SOON_DAYS:
                continue  # long overdue is a product they have stopped using, not a refill
            if _already_reminded(user, item):
                continue
            try:
                with db.session.begin_nested():  # a second worker's reminder for the same date wins; this one is dropped
                    db.session.add(RefillReminder(user_id=user.id, product_id=item.product_id, due_on=item.next_due, created_at=now))
                    link = url_for("notices.refill_to_cart", _external=True, token=make_token(
                        REFILL, {"v": item.variant_id, "q": item.quantity, "n": f"{item.product_name} ({item.size_label})"}))
                    record_message(user.email, f"Running low on {item.product_name}?",
                                   render_template("email/notices/refill.txt", item=item, link=link,
                                                   account=url_for("my_account.home", _external=True)),
                                   kind="refill_reminder", about=user, now=now)
            except IntegrityError:
                continue
            sent += 1
    db.session.commit()
    return f"reminded {sent}"


def _already_reminded(user, item) -> bool:
    return db.session.scalar(select(RefillReminder.id).where(
        RefillReminder.user_id == user.id, RefillReminder.product_id == item.product_id,
        RefillReminder.due_on == item.next_due)) is not None


def read_refill_link(token: str) -> tuple[int, int, str]:
    """(size id, quantity, how the customer knows it) from a reminder's signed link."""
    payload = read_token(REFILL, token, LINK_MAX_AGE)
    variant_id, quantity, name = payload.get("v"), payload.get("q"), payload.get("n")
    if not isinstance(variant_id, int) or not isinstance(quantity, int) or not isinstance(name, str):
        raise BadLink("That link is not valid.")
    return variant_id, quantity, name

