"""Revisions of the kitchen database, oldest first by their down_revision chain."""
