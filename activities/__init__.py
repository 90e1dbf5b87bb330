"""Saga activities: one class per participant, each method one HTTP call."""
