"""Test helpers: real HTTP servers, real databases, real Temporal."""
