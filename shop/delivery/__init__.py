"""Delivery: methods, zones by UK postcode, rates by parcel weight, and the parcel itself."""
