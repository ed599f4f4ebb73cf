"""Item pipelines, one per module, in this order (``ITEM_PIPELINES`` in :mod:`crawlers.settings`):

normalise (100) → validate (200) → dedupe (300) → evidence (400) → store (500).

Each counts what it sees in ``crawler.stats`` under ``pantau/...``; an unusable item is dropped with a
reason (``pantau/dropped/<reason>``) and nothing a page contains can crash a run.
"""
