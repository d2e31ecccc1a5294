"""Schools, users, memberships and roles; log-in and log-out."""
