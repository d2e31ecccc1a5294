"""Backup and restore: the whole database as one JSON file."""
