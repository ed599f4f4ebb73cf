"""Gates: cheap regexes that every match of a costly pattern of :mod:`models.endorse.markers` contains.

A pattern whose gate finds nothing in a text cannot match it, so it is not run (same markers, less
time). Trigger words (``Pattern.triggers`` / ``also``) say that the right words occur somewhere; a gate
says that they occur in the right order and next to each other, which in long posts full of common
words ("kerja", "sama", "dengan", "ini", "iklan") is rarely so. Each gate is the pattern's core without
its leading word-boundary or label-position assertions, so it starts with a literal or a small set of
letters that the regex engine can scan for; ``tests/models/test_gates.py`` checks that every match
of a gated pattern is found by its gate.
"""

from __future__ import annotations

from models.endorse.markers import _NEG, _PARTNER_VERB

_PARTNER_WITH = _PARTNER_VERB + r"\s{1,6}(?:dengan|bersama|bareng|with)(?!\w)"

#: pattern name → gate regex (run on the folded text, like the patterns)
GATES: dict[str, str] = {
    "label_iklan_line": r"(?:iklan|ads?|advertorial|sponsored(?:\s{1,6}content)?|bersponsor"
    r"|promosi\s{1,6}berbayar)\s{0,6}(?:[:|\-–—·•]|\n)",
    "iklan_kampanye": r"iklan\s{1,6}(?:kampanye|politik|berbayar)",
    "ini_berbayar": r"(?:ini|this)\s{1,6}(?:\w+\s{1,6}){0,3}"
    r"(?:berbayar|bersponsor|sponsor|paid|endorse|pp|ad|iklan)",
    "kerja_sama_tim": _PARTNER_WITH,
    "kerja_sama_label": _PARTNER_WITH,
    "tidak_diendorse": _NEG + r"\s{1,6}(?:di[\s\-]{0,6})?(?:endorse|disponsori|iklan|sponsori)",
    "pilih_nomor": r"(?:pilih|coblos|contreng|nyoblos)(?:lah)?\s{1,6}"
    r"(?:nomor|nomer|no|paslon|nmr|<nomor_urut>)",
    "coblos_imperative": r"(?:coblos|pilih)(?:lah)?\s{1,6}(?:dia|beliau|kandidat|<kandidat>|<partai>)",
}
#: pattern name → characters one of which every match holds (tested with ``in``, cheaper than a regex)
CHARACTER_GATES: dict[str, str] = {
    "label_iklan_bracket": "[(【「",
    "campaign_hashtag": "#",
}
#: pattern name → literals every match of its gate starts with (the gate regex begins with their
#: alternation): the gate is tried only where one of them occurs instead of at every position
OPENINGS: dict[str, tuple[str, ...]] = {
    "pilih_nomor": ("pilih", "coblos", "contreng", "nyoblos"),
    "coblos_imperative": ("coblos", "pilih"),
}
#: pattern name → (literals every match of its gate ends with, the most characters a match spans): the
#: gate is searched only in the stretch before each occurrence of one of them
CLOSINGS: dict[str, tuple[tuple[str, ...], int]] = {
    "tidak_diendorse": (("endorse", "iklan", "sponsori"), 32),
}
