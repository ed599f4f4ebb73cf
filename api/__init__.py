"""pantau api package."""
