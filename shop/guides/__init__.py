"""Care guides: short articles, linked both ways with the products they mention."""
