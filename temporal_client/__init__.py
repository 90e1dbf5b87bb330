"""Reaching Temporal from any process: connection settings and the payload encryption codec."""
