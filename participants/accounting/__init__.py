"""Accounting service: consumers' credit accounts and the card authorizations drawn on them."""
