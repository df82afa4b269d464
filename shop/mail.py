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


class Mailer:
    """Delivers messages one after another over one SMTP connection (opened when first needed, and
    again after a failure), or writes each to the outbox folder when MAIL_SERVER is unset.

    Only the worker uses it: web requests record messages instead (shop/messages/outbox.py).
    """

    def __init__(self):
        self.config = current_app.config
        self._smtp: smtplib.SMTP | None = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except OSError:
                pass
            self._close()

    def send(self, to: str, subject: str, text: str, html: str | None = None, *, message_id: str | None = None,
             list_unsubscribe: str | None = None) -> None:
        """Raises OSError (smtplib's errors are OSErrors) when the server cannot be reached, is too
        slow, or refuses the message. The same `message_id` on every attempt lets mail systems drop
        a duplicate."""
        message = self._message(to, subject, text, html, message_id)
        if list_unsubscribe:
            # Mail programs show their own Unsubscribe button (RFC 2369) and, with the Post header,
            # unsubscribe in one click by POSTing to the link themselves (RFC 8058; Gmail and Yahoo
            # ask it of bulk senders). The header only counts when the operator's mail server signs with DKIM.
            message["List-Unsubscribe"] = f"<{list_unsubscribe}>"
            message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        if not self.config.get("MAIL_SERVER"):
            self._write(to, message)
            return
        try:
            if self._smtp is None:
                self._smtp = self._connect()
            self._smtp.send_message(message)
        except Exception:
            self._close()  # start afresh with the next message
            raise

    def _message(self, to, subject, text, html, message_id) -> EmailMessage:
        config = self.config
        message = EmailMessage()
        message["From"] = config.get("MAIL_FROM") or f"{config['STORE_NAME']} <{config['STORE_EMAIL']}>"
        message["To"] = to
        message["Subject"] = subject
        message["Message-ID"] = message_id or make_msgid(domain="shop.local")
        message.set_content(text)
        if html:
            message.add_alternative(html, subtype="html")
        return message

    def _connect(self) -> smtplib.SMTP:
        config = self.config
        smtp = smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=config.get("MAIL_TIMEOUT_SECONDS") or 15)
        try:
            if config.get("MAIL_USE_TLS"):
                smtp.starttls()
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
        except Exception:
            smtp.close()
            raise
        return smtp

    def _close(self):
        if self._smtp is not None:
            self._smtp.close()
            self._smtp = None

    def _write(self, to: str, message: EmailMessage) -> None:
        folder = outbox_dir()
        folder.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%f")
        safe_to = "".join(c if c.isalnum() else "_" for c in to)[:60]
        # The random part keeps two messages to one address in the same microsecond from overwriting each other.
        (folder / f"{stamp}-{safe_to}-{uuid.uuid4().hex[:8]}.eml").write_bytes(bytes(message))
