"""The shop pointed at a real SMTP server on 127.0.0.1 (tests/messages/smtp_double.py)."""
import pytest

from tests.messages.smtp_double import SmtpDouble


@pytest.fixture
def smtp():
    with SmtpDouble() as server:
        yield server


@pytest.fixture
def app_settings(smtp):
    return smtp.settings(timeout=1.0)
