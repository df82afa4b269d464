"""Sent emails keep their text for the period the privacy notice states, then only whom, when and what about."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from shop.clock import utcnow
from shop.extensions import db
from shop.legal.policy import retention
from shop.messages.models import Message
from shop.messages.outbox import record_message
from shop.messages.retention import forget_old_email_texts
from shop.messages.services import MessageError, send_again
from tests import factories as make


def email(to, status, age_days, now):
    message = record_message(to, f"Order for {to}", "Your order is paid.", "<p>Your order is paid.</p>",
                             kind="order_confirmation", now=now - timedelta(days=age_days))
    message.status = status
    db.session.commit()
    return message.id


def bodies():
    db.session.expire_all()
    return {m.recipient: (m.text_body, m.html_body, m.subject) for m in db.session.scalars(select(Message))}


def test_the_text_of_a_finished_email_goes_after_the_period_and_who_when_and_subject_stay(app):
    now = utcnow()
    days = retention("messages").days
    email("old.sent@example.com", "sent", days + 1, now)
    email("old.failed@example.com", "failed", days + 1, now)
    email("recent@example.com", "sent", days - 1, now)
    email("still.to.go@example.com", "pending", days + 1, now)

    assert forget_old_email_texts(now) == f"deleted the text of 2 emails older than {days} days"
    kept = bodies()
    assert kept["old.sent@example.com"] == ("", None, "Order for old.sent@example.com")
    assert kept["old.failed@example.com"] == ("", None, "Order for old.failed@example.com")
    assert kept["recent@example.com"][0] == "Your order is paid."
    assert kept["still.to.go@example.com"][0] == "Your order is paid."  # not delivered yet: kept to deliver
    assert forget_old_email_texts(now) == f"deleted the text of 0 emails older than {days} days"  # once


def test_an_email_whose_text_is_gone_cannot_be_sent_again(app):
    now = utcnow()
    admin = make.user("boss@example.com", role="admin")
    message_id = email("old.failed@example.com", "failed", retention("messages").days + 1, now)
    forget_old_email_texts(now)

    with pytest.raises(MessageError, match="text was deleted"):
        send_again(message_id, actor=admin, now=now)
    assert db.session.get(Message, message_id).status == "failed"
