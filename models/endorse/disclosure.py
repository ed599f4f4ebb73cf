"""Table-driven detection of paid-promotion disclosures and promotional cues in raw post text.

Everything is data: :data:`DISCLOSURES`, :data:`DENIALS` and :data:`PROMO_CUES` are lists of named
patterns; the functions only run them. Patterns are case-insensitive and tolerate any spacing.

Decisions (also in ``docs/models.md``):

* A hashtag counts only as a whole tag: ``#ad`` matches ``#ad`` and ``#Ad,`` but not ``#adidas`` nor
  ``bad#ad``.
* ``#kolaborasi`` / ``#collab`` are **not** disclosures (creators collaborate unpaid all the time); they are
  promotional cues. ``#kerjasama`` **is** a disclosure: Indonesian influencer practice uses it for paid
  work, and the hoax of a "kerja sama" that was free is rare next to the opposite.
* A bare word "iklan" is not a disclosure ("iklan di TV semalam jelek" talks *about* an ad). "iklan
  kampanye/politik/berbayar" counts only in label position: at the start of the text or a line, in
  brackets, after "ini (adalah)" / "merupakan", or followed by "dari/oleh/dibayar".
* "didukung oleh" counts only after a content noun ("konten/video/acara ini didukung oleh …"):
  "capres itu didukung oleh rakyat" is political support, not sponsorship.
* Denials ("bukan endorse", "gak dibayar", "murni dari hati", "tanpa dibayar") are their own kind and never
  count as disclosure; a disclosure pattern that overlaps a denial (the "endorse" in "bukan endorse") is
  dropped. A post with only denials is the classic undisclosed-endorsement tell, which is why they are
  reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

MarkerKind = Literal["hashtag", "phrase", "label", "denial"]


@dataclass(frozen=True)
class Marker:
    """One disclosure (or denial) found in a text."""

    kind: MarkerKind
    name: str  # the pattern's name, e.g. "hashtag_ad"
    text: str  # the matched text as written
    span: tuple[int, int]
    language: str  # "id", "en" or "any"

    @property
    def is_disclosure(self) -> bool:
        return self.kind != "denial"


@dataclass(frozen=True)
class Cue:
    """A promotional cue: a call to action, a giveaway, a campaign hashtag, a link-in-bio."""

    kind: str  # "call_to_action", "link", "giveaway", "campaign_hashtag", "commercial"
    name: str
    text: str
    span: tuple[int, int]


@dataclass(frozen=True)
class Pattern:
    kind: str
    name: str
    regex: str
    language: str = "id"


_TAG_END = r"(?![\w])"
_TAG_START = r"(?<![\w#&])#"
_SP = r"[\s_\-]*"  # "kerja sama", "kerjasama", "kerja-sama"
_NEG = r"(?:tidak|tdk|gak|ga|gk|nggak|ngga|enggak|engga|kagak|ndak|bukan|ora)"
_CONTENT = (
    r"(?:konten|video|postingan|unggahan|post|tayangan|acara|program|siaran|artikel|live|giveaway|kegiatan)"
)
_LABEL_START = r"(?:^|(?<=\n)|(?<=[\[(|•·]))\s*"

#: Disclosure patterns: (kind, name, regex, language). Order does not matter; overlaps keep the first.
DISCLOSURES: list[Pattern] = [
    # hashtags (whole tags only)
    Pattern("hashtag", "hashtag_iklan", _TAG_START + r"iklan(?:politik|kampanye)?" + _TAG_END),
    Pattern("hashtag", "hashtag_ad", _TAG_START + r"(?:ad|ads|advert|advertisement)" + _TAG_END, "en"),
    Pattern(
        "hashtag",
        "hashtag_sponsored",
        _TAG_START + r"(?:sponsored|sponsor|disponsori|bersponsor)" + _TAG_END,
        "any",
    ),
    Pattern(
        "hashtag",
        "hashtag_paid",
        _TAG_START + r"(?:paidpromote|paidpromotion|paidpartnership|paid|pp)" + _TAG_END,
        "en",
    ),
    Pattern("hashtag", "hashtag_endorse", _TAG_START + r"(?:endorse|endorsement|endorsed)" + _TAG_END, "any"),
    Pattern(
        "hashtag",
        "hashtag_kerjasama",
        _TAG_START + r"(?:kerjasama|kerjasamaberbayar|kontenberbayar|berbayar)" + _TAG_END,
    ),
    Pattern(
        "hashtag",
        "hashtag_partner",
        _TAG_START + r"(?:partnership|brandpartner|mitraberbayar)" + _TAG_END,
        "en",
    ),
    # labels: short tags set apart at the start of a line or in brackets
    Pattern(
        "label",
        "label_iklan_bracket",
        r"[\[(]\s*(?:iklan|ad|ads|advertorial|sponsored|bersponsor|promosi)\s*[\])]",
        "any",
    ),
    Pattern(
        "label",
        "label_iklan_line",
        _LABEL_START + r"(?:iklan|advertorial|sponsored|bersponsor)\s*[:|\-–]",
        "any",
    ),
    Pattern("label", "label_bersponsor", r"(?<!\w)(?:bersponsor|advertorial)(?!\w)"),
    # phrases, Indonesian
    Pattern(
        "phrase",
        "kerja_sama_berbayar",
        rf"(?<!\w)(?:kerja{_SP}sama|kolaborasi|kemitraan){_SP}berbayar(?:\s+dengan\s+[\w@.]+)?",
    ),
    Pattern("phrase", "disponsori_oleh", r"(?<!\w)disponsori(?:\s+oleh)?\s+[\w@.]+"),
    Pattern("phrase", "didukung_oleh", rf"(?<!\w){_CONTENT}\s+ini\s+didukung\s+(?:penuh\s+)?oleh\s+[\w@.]+"),
    Pattern(
        "phrase",
        "iklan_kampanye",
        rf"{_LABEL_START}iklan\s+(?:kampanye|politik|berbayar)(?=\s*(?:[:|\-–\])]|$))"
        r"|(?<!\w)(?:ini|merupakan)\s+(?:adalah\s+)?iklan\s+(?:kampanye|politik|berbayar)(?!\w)"
        r"|(?<!\w)iklan\s+(?:kampanye|politik)\s+(?:resmi\s+)?(?:dari|oleh|dibayar|dibiayai)(?!\w)",
    ),
    Pattern("phrase", "konten_berbayar", rf"(?<!\w)(?:{_CONTENT}|promosi|unggahan)\s+berbayar(?!\w)"),
    Pattern(
        "phrase",
        "kerja_sama_tim",
        rf"(?<!\w)(?:bekerja{_SP}sama|berkolaborasi|kerja{_SP}sama)\s+dengan\s+"
        r"(?:tim\s+(?:pemenangan|kampanye|sukses|relawan)|timses|relawan\s+resmi|partai)(?!\w)",
    ),
    Pattern("phrase", "dibayar_oleh", r"(?<!\w)(?:dibayar|dibiayai|didanai)\s+(?:penuh\s+)?oleh\s+[\w@.]+"),
    Pattern(
        "phrase",
        "mendapat_bayaran",
        r"(?<!\w)(?:saya|kami|aku|gue|gw)\s+(?:di\s*bayar|dapat\s+bayaran|menerima\s+bayaran)(?!\w)",
    ),
    # phrases, English
    Pattern("phrase", "paid_partnership", r"(?<!\w)paid\s+partnership(?:\s+with\s+[\w@.]+)?", "en"),
    Pattern("phrase", "sponsored_by", r"(?<!\w)(?:sponsored|paid\s+for)\s+by\s+[\w@.]+", "en"),
    Pattern(
        "phrase",
        "this_is_an_ad",
        r"(?<!\w)this\s+(?:post|video|content)?\s*is\s+(?:an\s+ad|sponsored|paid)(?!\w)",
        "en",
    ),
]

#: Denials: a post saying it is NOT paid. Never a disclosure.
DENIALS: list[Pattern] = [
    Pattern(
        "denial",
        "bukan_endorse",
        r"(?<!\w)bukan\s+#?(?:endorse\w*|iklan|promosi|paid\s*promote|pp|konten\s+berbayar|buzzer\w*|pesanan)(?!\w)",
    ),
    Pattern(
        "denial",
        "tidak_dibayar",
        rf"(?<!\w){_NEG}\s+(?:ada\s+(?:yang|yg)\s+)?(?:di\s*bayar|dibayarin|bayar|dapat\s+bayaran|digaji)(?!\w)",
    ),
    Pattern("denial", "tanpa_dibayar", r"(?<!\w)tanpa\s+(?:di\s*bayar|bayaran|imbalan|dibayarin)(?!\w)"),
    Pattern(
        "denial",
        "murni_dari_hati",
        r"(?<!\w)murni\s+(?:dari\s+(?:hati|diri\s+sendiri)|pribadi|inisiatif\s+(?:sendiri|pribadi)|dukungan\s+pribadi)",
    ),
    Pattern("denial", "tidak_diendorse", rf"(?<!\w){_NEG}\s+(?:di\s*endorse|endorse|disponsori|iklan)(?!\w)"),
    Pattern(
        "denial",
        "sukarela",
        r"(?<!\w)(?:ikhlas|sukarela|gratisan)\s+(?:tanpa\s+\w+|dari\s+hati|kok|aja|saja)",
    ),
    Pattern(
        "denial",
        "not_sponsored",
        r"(?<!\w)(?:not|no|never)\s+(?:sponsored|an\s+ad|paid|endorse\w*)(?!\w)|(?<!\w)unpaid(?!\w)",
        "en",
    ),
    Pattern(
        "denial",
        "hashtag_notsponsored",
        _TAG_START + r"(?:notsponsored|notanad|bukanendorse|bukaniklan|tidakdibayar|gakdibayar)" + _TAG_END,
        "any",
    ),
]

#: Promotional cues: calls to action, link-in-bio, giveaways, campaign hashtags, commercial words.
PROMO_CUES: list[Pattern] = [
    Pattern(
        "call_to_action",
        "yuk_dukung",
        r"(?<!\w)(?:yuk|yok|ayo|ayok|mari|kuy)\s+(?:kita\s+)?(?:dukung|pilih|coblos|menangkan|kawal|dukung\s+terus)(?!\w)",
    ),
    Pattern(
        "call_to_action",
        "jangan_lupa_coblos",
        r"(?<!\w)jangan\s+lupa\s+(?:untuk\s+|utk\s+)?(?:coblos|nyoblos|pilih|dukung|datang\s+ke\s+tps|follow|like|share)(?!\w)",
    ),
    Pattern(
        "call_to_action",
        "pilih_nomor",
        r"(?<!\w)(?:pilih|coblos|contreng|nyoblos)(?:lah)?\s+(?:nomor|nomer|no\.?|paslon|nmr|<nomor_urut>)",
    ),
    Pattern(
        "call_to_action",
        "coblos_imperative",
        r"(?<!\w)(?:coblos|pilih)(?:lah)?\s+(?:dia|beliau|kandidat|<kandidat>|<partai>)",
    ),
    Pattern(
        "call_to_action",
        "menangkan",
        r"(?<!\w)(?:menangkan|satu\s+putaran|all\s+in|sikat\s+habis|lanjutkan)(?!\w)",
    ),
    Pattern(
        "link",
        "link_di_bio",
        r"(?<!\w)(?:link|tautan|info\s+lengkap|detail)\s+(?:ada\s+)?(?:di\s+)?bio(?!\w)|(?<!\w)cek\s+bio(?!\w)|(?<!\w)link\s+in\s+bio(?!\w)",
    ),
    Pattern(
        "link",
        "klik_link",
        r"(?<!\w)(?:klik|click|swipe\s+up|geser\s+ke\s+atas)(?:\s+(?:link|tautan|di\s+sini))?(?!\w)",
    ),
    Pattern(
        "giveaway",
        "giveaway",
        r"(?<!\w)#?(?:giveaway|give\s+away|bagi[\s-]?bagi\s+(?:hadiah|saldo|pulsa)|kuis\s+berhadiah)(?!\w)",
    ),
    Pattern(
        "giveaway",
        "hadiah",
        r"(?<!\w)(?:hadiah|saldo\s+e-?wallet|pulsa\s+gratis|voucher|doorprize|undian)(?!\w)",
    ),
    Pattern("giveaway", "tag_teman", r"(?<!\w)tag\s+(?:\d+|dua|tiga|lima)\s+(?:teman|temen|orang|akun)"),
    Pattern(
        "giveaway",
        "follow_akun",
        r"(?<!\w)(?:follow|ikuti)\s+(?:akun\s+)?(?:@\w+|<mention>|ig\s+kami|akun\s+ini)",
    ),
    Pattern(
        "campaign_hashtag",
        "campaign_hashtag",
        _TAG_START
        + r"[\w<>]*(?:2029|menang|pilih|coblos|dukung|bersama|putaran|lanjut|perubahan"
        + r"|<kandidat>|<partai>)[\w<>]*",
        "any",
    ),
    Pattern(
        "campaign_hashtag",
        "hashtag_kolaborasi",
        _TAG_START + r"(?:kolaborasi|collab|colab|kolab)" + _TAG_END,
        "any",
    ),
    Pattern(
        "commercial",
        "promo_diskon",
        r"(?<!\w)(?:promo|diskon|potongan\s+harga|harga\s+spesial|order\s+sekarang|beli\s+sekarang|kode\s+(?:promo|voucher))(?!\w)",
    ),
]


def _compile(patterns: list[Pattern]) -> list[tuple[Pattern, re.Pattern[str]]]:
    return [(p, re.compile(p.regex, re.IGNORECASE | re.MULTILINE)) for p in patterns]


_DISCLOSURES = _compile(DISCLOSURES)
_DENIALS = _compile(DENIALS)
_CUES = _compile(PROMO_CUES)


def _overlaps(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in spans)


def find_disclosures(text: str) -> list[Marker]:
    """Disclosure markers and denials in ``text``, in text order.

    Denials have ``kind="denial"`` and never count as disclosure (see :attr:`Marker.is_disclosure`).

    >>> [m.name for m in find_disclosures("Makasih @brand! #ad")]
    ['hashtag_ad']
    >>> [m.kind for m in find_disclosures("ini bukan endorse ya, murni dari hati")]
    ['denial', 'denial']
    """
    if not text:
        return []
    found: list[Marker] = []
    taken: list[tuple[int, int]] = []
    for group in (_DENIALS, _DISCLOSURES):
        for pattern, regex in group:
            for match in regex.finditer(text):
                span = (match.start(), match.end())
                raw = match.group(0)
                lead = len(raw) - len(raw.lstrip())
                span = (span[0] + lead, span[1])
                if span[0] >= span[1] or _overlaps(span, taken):
                    continue
                kind = "denial" if pattern.kind == "denial" else pattern.kind
                found.append(Marker(kind, pattern.name, text[span[0] : span[1]], span, pattern.language))  # type: ignore[arg-type]
                taken.append(span)
    return sorted(found, key=lambda m: m.span)


def has_disclosure(text: str) -> bool:
    """Whether ``text`` carries at least one disclosure marker (denials do not count)."""
    return any(m.is_disclosure for m in find_disclosures(text))


def promo_cues(text: str) -> list[Cue]:
    """Promotional cues in ``text`` (calls to action, link-in-bio, giveaways, campaign hashtags), in order.

    Works on raw text and on text already passed through
    :func:`models.text.entities.mask_entities` (``#Pilih<kandidat>`` is a campaign hashtag).
    """
    if not text:
        return []
    found: list[Cue] = []
    taken: list[tuple[int, int]] = []
    for pattern, regex in _CUES:
        for match in regex.finditer(text):
            span = (match.start(), match.end())
            if _overlaps(span, taken):
                continue
            found.append(Cue(pattern.kind, pattern.name, match.group(0), span))
            taken.append(span)
    return sorted(found, key=lambda c: c.span)
