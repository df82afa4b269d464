"""The cart: variant ids and quantities kept in the buyer's session, priced from the database on every view."""
