"""The app configured for Stripe, talking to the local Stripe-API double with the real `stripe` package."""
import pytest

from tests.stripe.double import StripeDouble

SECRET_KEY = "sk_test_offline_suite"
WEBHOOK_SECRET = "whsec_offline_suite"


@pytest.fixture
def double():
    with StripeDouble(webhook_secret=WEBHOOK_SECRET) as running:
        yield running


@pytest.fixture
def app_settings(double):
    return {
        "STRIPE_SECRET_KEY": SECRET_KEY,
        "STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET,
        "STRIPE_API_BASE": double.url,
        "STRIPE_TIMEOUT_SECONDS": 2,
        "STRIPE_MAX_RETRIES": 0,
    }
