"""Saga workflows: the engine, the definitions and the workflow classes Temporal runs."""
