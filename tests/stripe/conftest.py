"""The app configured for Stripe, talking to the local Stripe-API double with the real `stripe` package."""
import pytest

from tests.stripe.double import stripe_settings


@pytest.fixture
def app_settings(double):
    return stripe_settings(double.url)
