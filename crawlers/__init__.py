"""pantau crawlers package."""
