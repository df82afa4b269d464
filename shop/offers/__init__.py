"""Offers: discount codes, the rules a code must pass, and its uses (reserved at checkout, like stock)."""
