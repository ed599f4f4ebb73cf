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
_SP = r"[\s_\-]{0,4}"  # "kerja sama", "kerjasama", "kerja-sama"
_NEG = r"(?:tidak|tdk|gak|ga|gk|nggak|ngga|enggak|engga|kagak|ndak|bukan|ora)"
_CONTENT = (
    r"(?:konten|video|postingan|unggahan|post|tayangan|acara|program|siaran|artikel|live|giveaway|kegiatan)"
)
_LABEL_START = r"(?:^|(?<=\n)|(?<=[\[(|•·]))\s{0,6}"

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
        r"[\[(]\s{0,6}(?:iklan|ad|ads|advertorial|sponsored|bersponsor|promosi)\s{0,6}[\])]",
        "any",
    ),
    Pattern(
        "label",
        "label_iklan_line",
        _LABEL_START + r"(?:iklan|advertorial|sponsored|bersponsor)\s{0,6}[:|\-–]",
        "any",
    ),
    Pattern("label", "label_bersponsor", r"(?<!\w)(?:bersponsor|advertorial)(?!\w)"),
    # phrases, Indonesian
    Pattern(
        "phrase",
        "kerja_sama_berbayar",
        rf"(?<!\w)(?:kerja{_SP}sama|kolaborasi|kemitraan){_SP}berbayar(?:\s{{1,6}}dengan\s{{1,6}}[\w@.]+)?",
    ),
    Pattern("phrase", "disponsori_oleh", r"(?<!\w)disponsori(?:\s{1,6}oleh)?\s{1,6}[\w@.]+"),
    Pattern(
        "phrase",
        "didukung_oleh",
        rf"(?<!\w){_CONTENT}\s{{1,6}}ini\s{{1,6}}didukung\s{{1,6}}(?:penuh\s{{1,6}})?oleh\s{{1,6}}[\w@.]+",
    ),
    Pattern(
        "phrase",
        "iklan_kampanye",
        rf"{_LABEL_START}iklan\s{{1,6}}(?:kampanye|politik|berbayar)(?=\s{{0,6}}(?:[:|\-–\])]|$))"
        r"|(?<!\w)(?:ini|merupakan)\s{1,6}(?:adalah\s{1,6})?iklan\s{1,6}(?:kampanye|politik|berbayar)(?!\w)"
        r"|(?<!\w)iklan\s{1,6}(?:kampanye|politik)\s{1,6}(?:resmi\s{1,6})?(?:dari|oleh|dibayar|dibiayai)(?!\w)",
    ),
    Pattern("phrase", "konten_berbayar", rf"(?<!\w)(?:{_CONTENT}|promosi|unggahan)\s{{1,6}}berbayar(?!\w)"),
    Pattern(
        "phrase",
        "kerja_sama_tim",
        rf"(?<!\w)(?:bekerja{_SP}sama|berkolaborasi|kerja{_SP}sama)\s{{1,6}}dengan\s{{1,6}}"
        r"(?:tim\s{1,6}(?:pemenangan|kampanye|sukses|relawan)|timses|relawan\s{1,6}resmi|partai)(?!\w)",
    ),
    Pattern(
        "phrase",
        "dibayar_oleh",
        r"(?<!\w)(?:dibayar|dibiayai|didanai)\s{1,6}(?:penuh\s{1,6})?oleh\s{1,6}[\w@.]+",
    ),
    Pattern(
        "phrase",
        "mendapat_bayaran",
        r"(?<!\w)(?:saya|kami|aku|gue|gw)\s{1,6}(?:di\s{0,6}bayar|dapat\s{1,6}bayaran|menerima\s{1,6}bayaran)(?!\w)",
    ),
    # phrases, English
    Pattern(
        "phrase", "paid_partnership", r"(?<!\w)paid\s{1,6}partnership(?:\s{1,6}with\s{1,6}[\w@.]+)?", "en"
    ),
    Pattern("phrase", "sponsored_by", r"(?<!\w)(?:sponsored|paid\s{1,6}for)\s{1,6}by\s{1,6}[\w@.]+", "en"),
    Pattern(
        "phrase",
        "this_is_an_ad",
        r"(?<!\w)this\s{1,6}(?:post|video|content)?\s{0,6}is\s{1,6}(?:an\s{1,6}ad|sponsored|paid)(?!\w)",
        "en",
    ),
]

#: Denials: a post saying it is NOT paid. Never a disclosure.
DENIALS: list[Pattern] = [
    Pattern(
        "denial",
        "bukan_endorse",
        r"(?<!\w)bukan\s{1,6}#?(?:endorse\w*|iklan|promosi|paid\s{0,6}promote|pp|konten\s{1,6}berbayar|buzzer\w*|pesanan)(?!\w)",
    ),
    Pattern(
        "denial",
        "tidak_dibayar",
        rf"(?<!\w){_NEG}\s{{1,6}}(?:ada\s{{1,6}}(?:yang|yg)\s{{1,6}})?"
        r"(?:di\s{0,6}bayar|dibayarin|bayar|dapat\s{1,6}bayaran|digaji)(?!\w)",
    ),
    Pattern(
        "denial", "tanpa_dibayar", r"(?<!\w)tanpa\s{1,6}(?:di\s{0,6}bayar|bayaran|imbalan|dibayarin)(?!\w)"
    ),
    Pattern(
        "denial",
        "murni_dari_hati",
        r"(?<!\w)murni\s{1,6}(?:dari\s{1,6}(?:hati|diri\s{1,6}sendiri)|pribadi|inisiatif\s{1,6}(?:sendiri|pribadi)|dukungan\s{1,6}pribadi)",
    ),
    Pattern(
        "denial",
        "tidak_diendorse",
        rf"(?<!\w){_NEG}\s{{1,6}}(?:di\s{{0,6}}endorse|endorse|disponsori|iklan)(?!\w)",
    ),
    Pattern(
        "denial",
        "sukarela",
        r"(?<!\w)(?:ikhlas|sukarela|gratisan)\s{1,6}(?:tanpa\s{1,6}\w+|dari\s{1,6}hati|kok|aja|saja)",
    ),
    Pattern(
        "denial",
        "not_sponsored",
        r"(?<!\w)(?:not|no|never)\s{1,6}(?:sponsored|an\s{1,6}ad|paid|endorse\w*)(?!\w)|(?<!\w)unpaid(?!\w)",
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
        r"(?<!\w)(?:yuk|yok|ayo|ayok|mari|kuy)\s{1,6}(?:kita\s{1,6})?(?:dukung|pilih|coblos|menangkan|kawal|dukung\s{1,6}terus)(?!\w)",
    ),
    Pattern(
        "call_to_action",
        "jangan_lupa_coblos",
        r"(?<!\w)jangan\s{1,6}lupa\s{1,6}(?:untuk\s{1,6}|utk\s{1,6})?(?:coblos|nyoblos|pilih|dukung|datang\s{1,6}ke\s{1,6}tps|follow|like|share)(?!\w)",
    ),
    Pattern(
        "call_to_action",
        "pilih_nomor",
        r"(?<!\w)(?:pilih|coblos|contreng|nyoblos)(?:lah)?\s{1,6}(?:nomor|nomer|no\.?|paslon|nmr|<nomor_urut>)",
    ),
    Pattern(
        "call_to_action",
        "coblos_imperative",
        r"(?<!\w)(?:coblos|pilih)(?:lah)?\s{1,6}(?:dia|beliau|kandidat|<kandidat>|<partai>)",
    ),
    Pattern(
        "call_to_action",
        "menangkan",
        r"(?<!\w)(?:menangkan|satu\s{1,6}putaran|all\s{1,6}in|sikat\s{1,6}habis|lanjutkan)(?!\w)",
    ),
    Pattern(
        "link",
        "link_di_bio",
        r"(?<!\w)(?:link|tautan|info\s{1,6}lengkap|detail)\s{1,6}(?:ada\s{1,6})?(?:di\s{1,6})?bio(?!\w)|(?<!\w)cek\s{1,6}bio(?!\w)|(?<!\w)link\s{1,6}in\s{1,6}bio(?!\w)",
    ),
    Pattern(
        "link",
        "klik_link",
        r"(?<!\w)(?:klik|click|swipe\s{1,6}up|geser\s{1,6}ke\s{1,6}atas)(?:\s{1,6}(?:link|tautan|di\s{1,6}sini))?(?!\w)",
    ),
    Pattern(
        "giveaway",
        "giveaway",
        r"(?<!\w)#?(?:giveaway|give\s{1,6}away|bagi[\s-]?bagi\s{1,6}(?:hadiah|saldo|pulsa)|kuis\s{1,6}berhadiah)(?!\w)",
    ),
    Pattern(
        "giveaway",
        "hadiah",
        r"(?<!\w)(?:hadiah|saldo\s{1,6}e-?wallet|pulsa\s{1,6}gratis|voucher|doorprize|undian)(?!\w)",
    ),
    Pattern(
        "giveaway", "tag_teman", r"(?<!\w)tag\s{1,6}(?:\d+|dua|tiga|lima)\s{1,6}(?:teman|temen|orang|akun)"
    ),
    Pattern(
        "giveaway",
        "follow_akun",
        r"(?<!\w)(?:follow|ikuti)\s{1,6}(?:akun\s{1,6})?(?:@\w+|<mention>|ig\s{1,6}kami|akun\s{1,6}ini)",
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
        r"(?<!\w)(?:promo|diskon|potongan\s{1,6}harga|harga\s{1,6}spesial|order\s{1,6}sekarang|beli\s{1,6}sekarang|kode\s{1,6}(?:promo|voucher))(?!\w)",
    ),
]


#: Prefilter: a pattern runs only when one of its keywords occurs in the text (matched with the pattern's
#: own flags, so case folding is the same). Every match of the pattern contains one of them, so skipping
#: a pattern whose keywords are all absent never loses a match. A pattern without an entry always runs.
KEYWORDS: dict[str, tuple[str, ...]] = {
    "hashtag_iklan": ("#",),
    "hashtag_ad": ("#",),
    "hashtag_sponsored": ("#",),
    "hashtag_paid": ("#",),
    "hashtag_endorse": ("#",),
    "hashtag_kerjasama": ("#",),
    "hashtag_partner": ("#",),
    "label_iklan_bracket": ("[", "("),
    "label_iklan_line": ("iklan", "advertorial", "sponsored", "bersponsor"),
    "label_bersponsor": ("bersponsor", "advertorial"),
    "kerja_sama_berbayar": ("berbayar",),
    "disponsori_oleh": ("disponsori",),
    "didukung_oleh": ("didukung",),
    "iklan_kampanye": ("iklan",),
    "konten_berbayar": ("berbayar",),
    "kerja_sama_tim": ("dengan",),
    "dibayar_oleh": ("oleh",),
    "mendapat_bayaran": ("bayar",),
    "paid_partnership": ("partnership",),
    "sponsored_by": ("by",),
    "this_is_an_ad": ("this",),
    "bukan_endorse": ("bukan",),
    "tidak_dibayar": ("bayar", "gaji"),
    "tanpa_dibayar": ("tanpa",),
    "murni_dari_hati": ("murni",),
    "tidak_diendorse": ("endorse", "disponsori", "iklan"),
    "sukarela": ("ikhlas", "sukarela", "gratisan"),
    "not_sponsored": ("sponsored", "ad", "paid", "endorse"),
    "hashtag_notsponsored": ("#",),
    "yuk_dukung": ("yuk", "yok", "ayo", "mari", "kuy"),
    "jangan_lupa_coblos": ("lupa",),
    "pilih_nomor": ("pilih", "oblos", "contreng"),
    "coblos_imperative": ("coblos", "pilih"),
    "menangkan": ("menangkan", "putaran", "all", "sikat", "lanjutkan"),
    "link_di_bio": ("bio",),
    "klik_link": ("klik", "click", "swipe", "geser"),
    "giveaway": ("give", "bagi", "kuis"),
    "hadiah": ("hadiah", "saldo", "pulsa", "voucher", "doorprize", "undian"),
    "tag_teman": ("tag",),
    "follow_akun": ("follow", "ikuti"),
    "campaign_hashtag": ("#",),
    "hashtag_kolaborasi": ("#",),
    "promo_diskon": ("promo", "diskon", "potongan", "harga", "order", "beli", "kode"),
}


_FLAGS = re.IGNORECASE | re.MULTILINE
#: The only non-ASCII characters that ``re.IGNORECASE`` folds onto ASCII, or that ``str.lower`` turns into
#: ASCII (İ ı ſ K): texts holding one take the regex path so the prefilter agrees with the patterns.
_ODD_FOLDS = re.compile("[\u0130\u0131\u017f\u212a]")
_KEYWORD_RES: dict[tuple[str, ...], re.Pattern[str]] = {}

Prefilter = tuple[tuple[str, ...], re.Pattern[str]] | None


def _prefilter(name: str) -> Prefilter:
    words = KEYWORDS.get(name)
    if not words:
        return None
    if not all(w.isascii() for w in words):  # pragma: no cover - the table is ASCII; keep it honest
        raise ValueError(f"disclosure keywords for {name!r} must be ASCII: {words!r}")
    if words not in _KEYWORD_RES:
        _KEYWORD_RES[words] = re.compile("|".join(re.escape(w) for w in words), _FLAGS)
    return tuple(w.lower() for w in words), _KEYWORD_RES[words]


def _compile(patterns: list[Pattern]) -> list[tuple[Pattern, re.Pattern[str], Prefilter]]:
    return [(p, re.compile(p.regex, _FLAGS), _prefilter(p.name)) for p in patterns]


def _folded(text: str) -> str | None:
    """``text.lower()`` when plain substring tests on it agree with case-insensitive regexes, else None."""
    return None if _ODD_FOLDS.search(text) else text.lower()


def _runs(keywords: Prefilter, text: str, folded: str | None) -> bool:
    """Whether a pattern with prefilter ``keywords`` can match ``text`` (``folded``: see :func:`_folded`)."""
    if keywords is None:
        return True
    words, regex = keywords
    if folded is not None:
        return any(w in folded for w in words)
    return regex.search(text) is not None


_DISCLOSURES = _compile(DISCLOSURES)
_DENIALS = _compile(DENIALS)
_CUES = _compile(PROMO_CUES)


def _claim(span: tuple[int, int], covered: bytearray) -> bool:
    """Mark ``span`` as used unless it overlaps an earlier match (linear in the span's length)."""
    if any(covered[span[0] : span[1]]):
        return False
    covered[span[0] : span[1]] = b"\x01" * (span[1] - span[0])
    return True


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
    covered = bytearray(len(text))
    folded = _folded(text)
    for group in (_DENIALS, _DISCLOSURES):
        for pattern, regex, keywords in group:
            if not _runs(keywords, text, folded):
                continue
            for match in regex.finditer(text):
                span = (match.start(), match.end())
                raw = match.group(0)
                lead = len(raw) - len(raw.lstrip())
                span = (span[0] + lead, span[1])
                if span[0] >= span[1] or not _claim(span, covered):
                    continue
                kind = "denial" if pattern.kind == "denial" else pattern.kind
                found.append(Marker(kind, pattern.name, text[span[0] : span[1]], span, pattern.language))  # type: ignore[arg-type]
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
    covered = bytearray(len(text))
    folded = _folded(text)
    for pattern, regex, keywords in _CUES:
        if not _runs(keywords, text, folded):
            continue
        for match in regex.finditer(text):
            span = (match.start(), match.end())
            if span[0] < span[1] and _claim(span, covered):
                found.append(Cue(pattern.kind, pattern.name, match.group(0), span))
    return sorted(found, key=lambda c: c.span)
