"""Hoax classifier: calibrated P(hoax) with reasons (``sklearn`` default, ``e5`` and ``hf`` options)."""
