"""Shipping weights. A size's weight is what the carrier weighs: contents, container and packing.

Pure functions, so the catalogue can estimate a new size's weight without importing delivery's models.
"""

# Grams of container for every 100 ml (or g) of contents, by container: glass-like bottles and
# pumps weigh more than a tube; a tin is light but rigid.
_CONTAINER_PER_100 = {"bottle": 14, "pump": 16, "jar": 18, "tube": 6, "tin": 30}
_CONTAINER_MIN = {"bottle": 40, "pump": 55, "jar": 45, "tube": 12, "tin": 25}
PACKING_GRAMS = 60  # box, paper and tape for one size


def estimated_shipping_grams(amount: int, container: str = "bottle") -> int:
    """Contents (oils and creams weigh about 0.92-1 g per ml), container and packing, rounded up to 10 g."""
    contents = amount * 95 // 100
    per_100 = _CONTAINER_PER_100.get(container, 14)
    packaging = max(_CONTAINER_MIN.get(container, 40), amount * per_100 // 100) + PACKING_GRAMS
    grams = contents + packaging
    return -(-grams // 10) * 10


def format_weight(grams: int) -> str:
    return f"{grams} g" if grams < 1000 else f"{grams / 1000:.1f} kg".replace(".0 kg", " kg")
