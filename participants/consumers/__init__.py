"""Consumers service: owns consumers and verifies that one may place an order."""
