"""Revisions of the order-history database, oldest first by their down_revision chain."""
