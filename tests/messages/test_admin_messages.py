"""/admin/messages: what waits, what failed and why, sending a failed email again (audited); /healthz's backlog."""
from datetime import timedelta

from shop.audit.models import AuditEntry
from shop.clock import utcnow
from shop.extensions import db
from shop.messages.outbox import record_message
from tests import factories as make
from tests.admin.support import post, signed_in
from tests.helpers import deliver_due
from tests.messages.support import messages


def failed_message(app, smtp, to="nobody@example.com"):
    """A message the mail server refused for good (550 to its recipient)."""
    smtp.refuse(to)
    record_message(to, "Your order EC000042 is confirmed", "Order EC000042 is paid.", kind="order_confirmation")
    db.session.commit()
    assert deliver_due(app).failed == 1
    return messages(recipient=to)[0]


def test_the_list_shows_waiting_failed_and_sent_emails_with_tries_and_the_last_error(app, client, smtp):
    signed_in(client)
    failed = failed_message(app, smtp)
    record_message("sent@example.com", "Your order EC000043 is on its way", "Tracking RM1", kind="order_shipped")
    db.session.commit()
    deliver_due(app)
    smtp.mode = "down"
    record_message("waiting@example.com", "Reset your password", "Link", kind="account_reset")
    db.session.commit()
    deliver_due(app)

    html = client.get("/admin/messages").get_data(as_text=True)
    assert "3 emails" in html
    for words in ("nobody@example.com", "Failed", "550", "sent@example.com", "Sent", "waiting@example.com", "Waiting",
                  "421", "Send again"):
        assert words in html, words
    assert html.count("Send again") == 1  # only the failed one can be sent again

    only_failed = client.get("/admin/messages?status=failed").get_data(as_text=True)
    assert "nobody@example.com" in only_failed and "sent@example.com" not in only_failed
    shipped = client.get("/admin/messages?kind=order_shipped").get_data(as_text=True)
    assert "sent@example.com" in shipped and "nobody@example.com" not in shipped
    searched = client.get("/admin/messages?q=EC000042").get_data(as_text=True)
    assert "1 email<" in searched and "nobody@example.com" in searched
    detail = client.get(f"/admin/messages/{failed.id}").get_data(as_text=True)
    assert "Order EC000042 is paid." in detail and failed.message_id.strip("<>") in detail

    dashboard = client.get("/admin/").get_data(as_text=True)
    assert "1</span> email that could not be sent" in dashboard


def test_an_unknown_filter_is_a_400_that_says_why(app, client):
    signed_in(client)
    response = client.get("/admin/messages?status=lost&kind=spam")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Choose a state from the list." in html and "Choose a kind of email from the list." in html
    assert client.get("/admin/messages/999").status_code == 404


def test_send_again_queues_a_failed_email_once_audited_and_the_worker_delivers_it(app, client, smtp):
    admin = signed_in(client)
    failed = failed_message(app, smtp)
    smtp.refused.clear()  # the mailbox exists now
    first_deadline, message_id = failed.give_up_after, failed.message_id
    response = post(client, f"/admin/messages/{failed.id}/send-again", {"back": "/admin/messages?status=failed"})
    assert response.status_code == 303 and response.headers["Location"] == "/admin/messages?status=failed"
    queued = messages()[0]
    assert queued.status == "pending" and queued.give_up_after > first_deadline  # a new day of tries
    [entry] = db.session.query(AuditEntry).filter_by(action="message.resend").all()
    assert entry.actor_email == admin.email and "nobody@example.com" in entry.summary

    again = post(client, f"/admin/messages/{failed.id}/send-again")  # a second click: it is no longer failed
    assert again.status_code == 409 and "Only a failed email can be sent again" in again.get_data(as_text=True)
    assert db.session.query(AuditEntry).filter_by(action="message.resend").count() == 1

    assert deliver_due(app).sent == 1
    assert [(r.to, r.message_id) for r in smtp.received] == [("nobody@example.com", message_id)]
    assert post(client, "/admin/messages/999/send-again").status_code == 404


def test_send_again_needs_the_csrf_token(app, client, smtp):
    signed_in(client)
    failed = failed_message(app, smtp)
    assert client.post(f"/admin/messages/{failed.id}/send-again").status_code == 400
    assert messages()[0].status == "failed"


def test_healthz_reports_how_long_the_oldest_due_email_has_waited(app, client, smtp):
    assert client.get("/healthz").get_json()["messages"] == {"due": 0, "oldest_due_seconds": 0}
    now = utcnow()
    record_message("a@example.com", "Old", "x", kind="test", now=now - timedelta(minutes=10))
    record_message("b@example.com", "New", "x", kind="test", now=now)
    record_message("c@example.com", "Later", "x", kind="test", now=now + timedelta(hours=1))  # not due yet
    db.session.commit()
    response = client.get("/healthz")
    assert response.status_code == 200  # the shop serves; monitoring alerts on the age
    backlog = response.get_json()["messages"]
    assert backlog["due"] == 2 and 600 <= backlog["oldest_due_seconds"] < 3600
    deliver_due(app, now=now)
    assert client.get("/healthz").get_json()["messages"] == {"due": 0, "oldest_due_seconds": 0}
