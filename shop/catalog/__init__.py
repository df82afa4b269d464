"""The catalogue: categories, products, their sizes (variants) and what buyers screen for (flags)."""
