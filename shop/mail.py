"""Delivering one email: SMTP when MAIL_SERVER is set, otherwise one file per message in instance/outbox/."""
import smtplib
import uuid
from datetime import datetime, timezone
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

from flask import current_app


def outbox_dir() -> Path:
    return Path(current_app.instance_path) / "outbox"


def send_email(to: str, subject: str, text: str, html: str | None = None, *, message_id: str | None = None) -> None:
    """Hand one message to the mail server (or write it to the outbox folder). Raises OSError
    (smtplib's errors are OSErrors) when the server cannot be reached, is too slow, or refuses it.

    Only the worker calls this: web requests record messages instead (shop/messages/outbox.py).
    The same `message_id` on every attempt lets mail systems drop a duplicate.
    """
    config = current_app.config
    message = EmailMessage()
    sender = config.get("MAIL_FROM") or f"{config['STORE_NAME']} <{config['STORE_EMAIL']}>"
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = message_id or make_msgid(domain="shop.local")
    message.set_content(text)
    if html:
        message.add_alternative(html, subtype="html")

    if config.get("MAIL_SERVER"):
        timeout = config.get("MAIL_TIMEOUT_SECONDS") or 15
        with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=timeout) as smtp:
            if config.get("MAIL_USE_TLS"):
                smtp.starttls()
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
            smtp.send_message(message)
        return

    folder = outbox_dir()
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%f")
    safe_to = "".join(c if c.isalnum() else "_" for c in to)[:60]
    # The random part keeps two messages to one address in the same microsecond from overwriting each other.
    (folder / f"{stamp}-{safe_to}-{uuid.uuid4().hex[:8]}.eml").write_bytes(bytes(message))
