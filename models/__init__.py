"""pantau models package."""
