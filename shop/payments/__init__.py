"""Payment gateways: Stripe Checkout, and an in-app demo that stands in when no key is set."""
