"""Recalls of a lot and reports of reactions: acting on a batch after it has left the warehouse."""
