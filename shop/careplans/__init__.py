"""Care plans: a practitioner recommends home-care products to a patient in one link."""
