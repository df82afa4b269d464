"""Orders: what was bought, at what price, and where it stands."""
