"""Revisions of the consumers database, oldest first by their down_revision chain."""
