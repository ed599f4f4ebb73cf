"""pantau indexes package."""
