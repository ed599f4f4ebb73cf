"""pantau labeling package."""
