"""Revisions of the accounting database, oldest first by their down_revision chain."""
