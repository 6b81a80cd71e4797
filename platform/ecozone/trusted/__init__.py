"""Trusted documents (persisted operations) and the partner clients that register them."""
