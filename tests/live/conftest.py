"""Stripe's real test mode, opt-in: `make test-stripe` with STRIPE_SECRET_KEY=sk_test_... and network."""
import os

import pytest

KEY = os.environ.get("STRIPE_SECRET_KEY", "")


def pytest_collection_modifyitems(config, items):
    if KEY.startswith(("sk_live_", "rk_live_")):
        pytest.exit("Refusing to run the Stripe tests with a live key: use a test key (sk_test_...).", returncode=2)
    if not KEY:
        skip = pytest.mark.skip(reason="set STRIPE_SECRET_KEY=sk_test_... (and network) to run against Stripe's test mode")
        for item in items:
            item.add_marker(skip)
    elif not KEY.startswith(("sk_test_", "rk_test_")):
        pytest.exit("STRIPE_SECRET_KEY is not a Stripe test key (sk_test_... or rk_test_...).", returncode=2)


@pytest.fixture
def backend():
    return "sqlite"


@pytest.fixture
def app_settings():
    return {
        "STRIPE_SECRET_KEY": KEY,
        # The webhook secret from `stripe listen`; any placeholder when only the API part runs.
        "STRIPE_WEBHOOK_SECRET": os.environ.get("STRIPE_WEBHOOK_SECRET") or "whsec_placeholder_for_api_only_run",
        "STRIPE_API_BASE": os.environ.get("STRIPE_API_BASE") or "https://api.stripe.com",
        "STRIPE_TIMEOUT_SECONDS": 20,
        "STRIPE_MAX_RETRIES": 2,
    }
