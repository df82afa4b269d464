"""The audit log: who changed what in the back office, and how it was before and after."""
