"""Saga activities: one table per participant, each row one HTTP call."""
