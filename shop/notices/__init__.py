"""Notices customers and practitioners ask for: "email me when it's back" (issue 13)."""
