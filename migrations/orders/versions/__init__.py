"""Revisions of the orders database, oldest first by their down_revision chain."""
