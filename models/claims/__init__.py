"""Claim matching: link posts to earlier fact-checks (see docs/models.md, "Claim matching")."""
