"""Outgoing messages: recorded with the change that causes them (outbox.py), delivered by the
worker (worker.py), which also runs the periodic jobs (jobs.py)."""
