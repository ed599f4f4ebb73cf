"""Training support shared by the hoax classifier and the endorsement detector.

``data``: reading labelled CSV/JSONL files and the shipped seed corpus; ``metrics``: macro-F1 and
per-label scores; ``features``: the lexical featuriser (hashed word and character n-grams on
normalised, entity-masked text); ``base``: the prediction type every model returns; ``cards``: the
model card written on every save; ``train``: the service functions behind ``pantau models``.
"""
