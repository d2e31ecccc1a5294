"""The start page after log-in."""
