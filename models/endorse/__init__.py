"""Endorsement detection: disclosure markers and promotional cues (the classifier lives beside them)."""
