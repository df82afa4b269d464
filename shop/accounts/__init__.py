"""People who sign in: customers, practitioners and admins."""
