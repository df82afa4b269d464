"""Reordering: buy again, supplies lists, the quick order pad and running-low reminders."""
