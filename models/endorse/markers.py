"""The regex tables of :mod:`models.endorse.disclosure`: disclosure phrases and labels, denials and
promotional cues (hashtag and word tables are in :mod:`models.endorse.tags`). Data only; the rules for
reading them are in that module's docstring.

Every regex runs on the folded copy of the text (:func:`models.endorse.textview.fold`: lower case, NFKC,
no invisible characters), so patterns are written in lower case. ``triggers`` are whole words (``\\w+``
tokens of the folded text) of which every match contains at least one: a pattern runs only when one of
them occurs (and one of ``also``, when given), which keeps posts without any candidate marker nearly
free. A pattern with no triggers always runs.
"""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Pattern:
    """One named regex of a table."""

    kind: str
    name: str
    regex: str
    language: str = "id"
    triggers: tuple[str, ...] = ()
    #: a second group of words of which every match also contains one (both groups must occur)
    also: tuple[str, ...] = ()


_SP = r"[\s_\-]{0,4}"  # "kerja sama", "kerjasama", "kerja-sama"
_NEG = r"(?:tidak|tdk|gak|ga|gk|nggak|ngga|enggak|engga|kagak|ndak|bukan|ora|nda)"
_CONTENT = (
    r"(?:konten|video|postingan|unggahan|post|posting|tayangan|acara|program|siaran|artikel|live|giveaway"
    r"|kegiatan|reels|reel|vlog|caption|foto|thread|utas|episode|seri)"
)
_CONTENT_WORDS = (
    "konten",
    "video",
    "postingan",
    "unggahan",
    "post",
    "posting",
    "tayangan",
    "acara",
    "program",
    "siaran",
    "artikel",
    "live",
    "giveaway",
    "kegiatan",
    "reels",
    "reel",
    "vlog",
    "caption",
    "foto",
    "thread",
    "utas",
    "episode",
    "seri",
)
#: where a short label stands: start of the text or a line, after a bracket, bar, bullet or dash
_LABEL_START = r"(?:^|[\[(|•·【「—–])[\s\-–—:]{0,6}"
_END = r"(?!\w)"
_WHO = r"[\w@.]+"
_PARTNER_VERB = (
    r"(?:bekerja" + _SP + r"sama|kerja" + _SP + r"sama|berkolaborasi|kolaborasi|bermitra|kemitraan|collab"
    r"|in\s{1,6}collaboration|in\s{1,6}partnership|partnered|partnering)"
)
_PARTNER_WORDS = (
    "bekerja",
    "kerja",
    "kerjasama",
    "bekerjasama",
    "berkolaborasi",
    "kolaborasi",
    "bermitra",
    "kemitraan",
    "collab",
    "collaboration",
    "partnership",
    "partnered",
    "partnering",
)
_CAMPAIGN_SIDE = (
    r"(?:tim\s{1,6}(?:pemenangan|kampanye|sukses|relawan)|timses|tkn|tkd|relawan\s{1,6}resmi|partai|koalisi"
    r"|paslon|caleg)"
)

#: Disclosure patterns. Order does not matter; overlapping matches keep the first found.
DISCLOSURES: list[Pattern] = [
    # labels: short tags set apart at the start of a line, in brackets, or after a bar / bullet / dash
    Pattern(
        "label",
        "label_iklan_bracket",
        r"[\[(【「]\s{0,6}(?:iklan(?:\s{1,6}(?:politik|kampanye|berbayar))?|ad|ads|advertorial|sponsored|sponsor"
        r"|bersponsor|promosi(?:\s{1,6}berbayar)?|konten\s{1,6}(?:berbayar|bersponsor|sponsor)|paid(?:\s{1,6}"
        r"(?:promote|promotion|partnership|post))?|pp|endorse(?:ment)?)\s{0,6}[\])】」]",
        "any",
    ),
    Pattern(
        "label",
        "label_iklan_line",
        _LABEL_START + r"(?:iklan|ad|ads|advertorial|sponsored|bersponsor"
        r"|sponsored\s{1,6}content|promosi\s{1,6}berbayar)\s{0,6}(?:[:|\-–—·•]|\n)",
        "any",
        ("iklan", "ad", "ads", "advertorial", "sponsored", "bersponsor", "promosi"),
    ),
    Pattern(
        "label",
        "label_bersponsor",
        r"(?<!\w)(?:bersponsor|advertorial)" + _END,
        "id",
        ("bersponsor", "advertorial"),
    ),
    Pattern(
        "label",
        "label_dipromosikan",
        _LABEL_START + r"dipromosikan(?:\s{1,6}oleh\s{1,6}" + _WHO + r")?(?=\s{0,6}(?:$|\n|[|·•:]))"
        r"|" + _LABEL_START + r"dipromosikan\s{1,6}oleh\s{1,6}" + _WHO,
        "id",
        ("dipromosikan",),
    ),
    # phrases, Indonesian
    Pattern(
        "phrase",
        "kerja_sama_berbayar",
        rf"(?<!\w)(?:kerja{_SP}sama|kolaborasi|kemitraan|collab|kolab|endorse){_SP}berbayar"
        r"(?:\s{1,6}(?:dengan|bersama|bareng)\s{1,6}[\w@.]+)?",
        "id",
        ("berbayar",),
    ),
    Pattern(
        "phrase", "disponsori_oleh", r"(?<!\w)disponsori(?:\s{1,6}oleh)?\s{1,6}" + _WHO, "id", ("disponsori",)
    ),
    Pattern(
        "phrase",
        "didukung_oleh",
        rf"(?<!\w){_CONTENT}\s{{1,6}}ini\s{{1,6}}(?:juga\s{{1,6}})?(?:didukung|dipersembahkan|dibiayai|didanai)"
        rf"\s{{1,6}}(?:penuh\s{{1,6}})?(?:oleh\s{{1,6}})?{_WHO}"
        rf"|{_LABEL_START}(?:didukung|dipersembahkan|dibiayai|didanai)\s{{1,6}}(?:penuh\s{{1,6}})?oleh\s{{1,6}}{_WHO}",
        "id",
        ("didukung", "dipersembahkan", "dibiayai", "didanai"),
    ),
    Pattern(
        "phrase",
        "iklan_kampanye",
        rf"{_LABEL_START}iklan\s{{1,6}}(?:kampanye|politik|berbayar)(?=\s{{0,6}}(?:[:|\-–—\])]|$))"
        r"|(?<!\w)(?:ini|merupakan)\s{1,6}(?:adalah\s{1,6})?iklan\s{1,6}(?:kampanye|politik|berbayar)(?!\w)"
        r"|(?<!\w)iklan\s{1,6}(?:kampanye|politik)\s{1,6}(?:resmi\s{1,6})?(?:dari|oleh|dibayar|dibiayai)(?!\w)",
        "id",
        ("iklan",),
    ),
    Pattern(
        "phrase",
        "konten_berbayar",
        rf"(?<!\w)(?:{_CONTENT}|promosi|unggahan)\s{{1,6}}(?:berbayar|bersponsor)(?!\w)",
        "id",
        ("berbayar", "bersponsor"),
    ),
    Pattern(
        "phrase",
        "ini_berbayar",
        rf"(?<!\w)(?:{_CONTENT}\s{{1,6}})?(?:ini|this)\s{{1,6}}(?:(?:adalah|merupakan|termasuk|is|juga|emang"
        rf"|memang)\s{{1,6}})?(?:(?:a|an|konten|postingan|post|video|{_CONTENT})\s{{1,6}})?"
        r"(?:berbayar|bersponsor|sponsored|sponsor|paid\s{1,6}(?:promote|promotion|post|partnership|content)"
        r"|endorse(?:ment|an)?|pp|(?:an\s{1,6})?ad|iklan(?=\s{0,6}(?:ya+|yah|guys|gaes|gais|kak|kok|loh|lho|deh"
        r"|[.,!)—–-]|$)))(?!\w)",
        "any",
        (
            "berbayar",
            "bersponsor",
            "sponsored",
            "sponsor",
            "paid",
            "endorse",
            "endorsement",
            "endorsan",
            "pp",
            "ad",
            "iklan",
        ),
    ),
    Pattern(
        "phrase",
        "kerja_sama_tim",
        rf"(?<!\w){_PARTNER_VERB}\s{{1,6}}(?:dengan|bersama|bareng|with)\s{{1,6}}{_CAMPAIGN_SIDE}(?!\w)",
        "id",
        _PARTNER_WORDS,
    ),
    Pattern(
        "phrase",
        "kerja_sama_label",
        rf"{_LABEL_START}{_PARTNER_VERB}\s{{1,6}}(?:dengan|bersama|with)\s{{1,6}}{_WHO}"
        rf"|(?<!\w){_CONTENT}\s{{1,6}}ini\s{{1,6}}(?:(?:adalah|merupakan|hasil)\s{{1,6}}){{0,2}}{_PARTNER_VERB}"
        rf"\s{{1,6}}(?:dengan|bersama|bareng|with)\s{{1,6}}{_WHO}",
        "any",
        _PARTNER_WORDS,
    ),
    Pattern(
        "phrase",
        "dibayar_oleh",
        r"(?<!\w)(?:dibayar|dibiayai|didanai)\s{1,6}(?:penuh\s{1,6})?oleh\s{1,6}" + _WHO,
        "id",
        ("dibayar", "dibiayai", "didanai"),
    ),
    Pattern(
        "phrase",
        "mendapat_bayaran",
        r"(?<!\w)(?:saya|kami|aku|gue|gw|gua)\s{1,6}(?:di\s{0,6}bayar|dapat\s{1,6}bayaran|menerima\s{1,6}bayaran"
        r"|nerima\s{1,6}bayaran|terima\s{1,6}bayaran)(?!\w)",
        "id",
        ("dibayar", "bayar", "bayaran"),
    ),
    # phrases, English
    Pattern(
        "phrase",
        "paid_partnership",
        r"(?<!\w)paid\s{1,6}(?:partnership|promotion|promote|promo|post|content|collab\w*|partner|ad)"
        r"(?:\s{1,6}(?:with|for|by|dengan)\s{1,6}[\w@.]+)?(?!\w)",
        "en",
        ("paid",),
    ),
    Pattern(
        "phrase",
        "sponsored_by",
        r"(?<!\w)(?:sponsored|paid\s{1,6}for|powered|supported)\s{1,6}by\s{1,6}" + _WHO,
        "en",
        ("sponsored", "paid", "powered", "supported"),
    ),
    Pattern(
        "phrase",
        "this_is_an_ad",
        r"(?<!\w)this\s{1,6}(?:post|video|content|reel)?\s{0,6}is\s{1,6}(?:an\s{1,6}ad|sponsored|paid)(?!\w)",
        "en",
        ("this",),
    ),
]

#: Denials: a post saying it is NOT paid. Never a disclosure; a disclosure match overlapping one is dropped.
DENIALS: list[Pattern] = [
    Pattern(
        "denial",
        "bukan_endorse",
        r"bukan(?<!\wbukan)\s{1,6}#?(?:endorse\w*|iklan|promosi|paid(?:\s{0,6}promote)?|pp|sponsor\w*|ads?"
        r"|konten\s{1,6}(?:berbayar|sponsor|bersponsor)|buzzer\w*|pesanan|titipan|settingan)(?!\w)",
        "id",
        ("bukan",),
    ),
    Pattern(
        "denial",
        "tidak_dibayar",
        rf"(?<!\w){_NEG}\s{{1,6}}(?:ada\s{{1,6}}(?:yang|yg)\s{{1,6}})?"
        r"(?:di\s{0,6}bayar|dibayarin|bayar|(?:dapat|dapet)\s{1,6}bayaran|digaji)(?!\w)",
        "id",
        ("bayar", "dibayar", "bayaran", "dibayarin", "digaji"),
    ),
    Pattern(
        "denial",
        "tidak_menerima_uang",
        rf"(?<!\w){_NEG}\s{{1,6}}(?:pernah\s{{1,6}})?(?:menerima|nerima|terima|dapat|dapet|ambil)\s{{1,6}}"
        r"(?:bayaran|uang|duit|imbalan|sepeser|fee|honor)(?!\w)",
        "id",
        ("bayaran", "uang", "duit", "imbalan", "sepeser", "fee", "honor"),
    ),
    Pattern(
        "denial",
        "tanpa_dibayar",
        r"(?<!\w)tanpa\s{1,6}(?:di\s{0,6}bayar|bayaran|imbalan|dibayarin|sponsor|endorse)(?!\w)",
        "id",
        ("tanpa",),
    ),
    Pattern(
        "denial",
        "murni_dari_hati",
        r"(?<!\w)murni\s{1,6}(?:dari\s{1,6}(?:hati|diri\s{1,6}sendiri)|pribadi|inisiatif\s{1,6}(?:sendiri|pribadi)"
        r"|dukungan\s{1,6}pribadi)",
        "id",
        ("murni",),
    ),
    Pattern(
        "denial",
        "tidak_diendorse",
        rf"(?<!\w){_NEG}\s{{1,6}}(?:di[\s\-]{{0,6}}endorse|endorse|disponsori|iklan|di[\s\-]{{0,6}}sponsori)(?!\w)",
        "id",
        ("endorse", "diendorse", "disponsori", "iklan", "sponsori"),
    ),
    Pattern(
        "denial",
        "sukarela",
        r"(?<!\w)(?:ikhlas|sukarela|gratisan)\s{1,6}(?:tanpa\s{1,6}\w+|dari\s{1,6}hati|kok|aja|saja)",
        "id",
        ("ikhlas", "sukarela", "gratisan"),
    ),
    Pattern(
        "denial",
        "not_sponsored",
        r"(?<!\w)(?:not|no|never|non)[\s\-]{1,6}(?:sponsored|sponsor|an\s{1,6}ad|ads?|paid|endorse\w*)(?!\w)"
        r"|(?<!\w)unpaid(?!\w)",
        "en",
        ("sponsored", "sponsor", "ad", "ads", "paid", "endorse", "endorsed", "endorsement", "unpaid"),
    ),
]

#: Promotional cues: calls to action, link-in-bio, giveaways, campaign hashtags, commercial words.
PROMO_CUES: list[Pattern] = [
    Pattern(
        "call_to_action",
        "yuk_dukung",
        r"(?<!\w)(?:yuk|yok|ayo|ayok|mari|kuy)\s{1,6}(?:kita\s{1,6})?(?:dukung|pilih|coblos|menangkan|kawal"
        r"|dukung\s{1,6}terus)(?!\w)",
        "id",
        ("yuk", "yok", "ayo", "ayok", "mari", "kuy"),
    ),
    Pattern(
        "call_to_action",
        "jangan_lupa_coblos",
        r"(?<!\w)jangan\s{1,6}lupa\s{1,6}(?:untuk\s{1,6}|utk\s{1,6})?(?:coblos|nyoblos|pilih|dukung"
        r"|datang\s{1,6}ke\s{1,6}tps|follow|like|share)(?!\w)",
        "id",
        ("lupa",),
    ),
    Pattern(
        "call_to_action",
        "pilih_nomor",
        r"(?<!\w)(?:pilih|coblos|contreng|nyoblos)(?:lah)?\s{1,6}(?:nomor|nomer|no\.?|paslon|nmr|<nomor_urut>)",
        "id",
        ("pilih", "coblos", "contreng", "nyoblos", "pilihlah", "cobloslah", "contrenglah"),
    ),
    Pattern(
        "call_to_action",
        "coblos_imperative",
        r"(?<!\w)(?:coblos|pilih)(?:lah)?\s{1,6}(?:dia|beliau|kandidat|<kandidat>|<partai>)",
        "id",
        ("coblos", "pilih", "cobloslah", "pilihlah"),
    ),
    Pattern(
        "call_to_action",
        "menangkan",
        r"(?<!\w)(?:menangkan|satu\s{1,6}putaran|all\s{1,6}in|sikat\s{1,6}habis|lanjutkan)(?!\w)",
        "id",
        ("menangkan", "putaran", "all", "sikat", "lanjutkan"),
    ),
    Pattern(
        "link",
        "link_di_bio",
        r"(?<!\w)(?:link|tautan|info\s{1,6}lengkap|detail)\s{1,6}(?:ada\s{1,6})?(?:di\s{1,6})?bio(?!\w)"
        r"|(?<!\w)cek\s{1,6}bio(?!\w)|(?<!\w)link\s{1,6}in\s{1,6}bio(?!\w)",
        "any",
        ("bio",),
    ),
    Pattern(
        "link",
        "klik_link",
        r"(?<!\w)(?:klik|click|swipe\s{1,6}up|geser\s{1,6}ke\s{1,6}atas)(?:\s{1,6}(?:link|tautan|di\s{1,6}sini))?(?!\w)",
        "any",
        ("klik", "click", "swipe", "geser"),
    ),
    Pattern(
        "giveaway",
        "giveaway",
        r"(?<!\w)#?(?:giveaway|give\s{1,6}away|bagi[\s-]?bagi\s{1,6}(?:hadiah|saldo|pulsa)|kuis\s{1,6}berhadiah)(?!\w)",
        "any",
        ("giveaway", "give", "bagi", "bagibagi", "kuis"),
    ),
    Pattern(
        "giveaway",
        "hadiah",
        r"(?<!\w)(?:hadiah|saldo\s{1,6}e-?wallet|pulsa\s{1,6}gratis|voucher|doorprize|undian)(?!\w)",
        "id",
        ("hadiah", "saldo", "pulsa", "voucher", "doorprize", "undian"),
    ),
    Pattern(
        "giveaway",
        "tag_teman",
        r"(?<!\w)tag\s{1,6}(?:\d+|dua|tiga|lima)\s{1,6}(?:teman|temen|orang|akun)",
        "id",
        ("tag",),
    ),
    Pattern(
        "giveaway",
        "follow_akun",
        r"(?<!\w)(?:follow|ikuti)\s{1,6}(?:akun\s{1,6})?(?:@\w+|<mention>|ig\s{1,6}kami|akun\s{1,6}ini)",
        "any",
        ("follow", "ikuti"),
    ),
    Pattern(
        "campaign_hashtag",
        "campaign_hashtag",
        r"#(?<![\w#&]#)[\w<>]*(?:2029|menang|pilih|coblos|dukung|bersama|putaran|lanjut|perubahan"
        r"|<kandidat>|<partai>)[\w<>]*",
        "any",
    ),
    Pattern(
        "campaign_hashtag",
        "hashtag_kolaborasi",
        r"#(?<![\w#&]#)(?:kolaborasi|collab|colab|kolab)(?![\w])",
        "any",
        ("kolaborasi", "collab", "colab", "kolab"),
    ),
    Pattern(
        "commercial",
        "promo_diskon",
        r"(?<!\w)(?:promo|diskon|potongan\s{1,6}harga|harga\s{1,6}spesial|order\s{1,6}sekarang|beli\s{1,6}sekarang"
        r"|kode\s{1,6}(?:promo|voucher))(?!\w)",
        "id",
        ("promo", "diskon", "potongan", "harga", "order", "beli", "kode"),
    ),
]

_NEG_WORDS = (
    "tidak",
    "tdk",
    "gak",
    "ga",
    "gk",
    "nggak",
    "ngga",
    "enggak",
    "engga",
    "kagak",
    "ndak",
    "bukan",
    "ora",
    "nda",
)
_WITH = ("dengan", "bersama", "bareng", "with")
#: the second trigger group of patterns whose matches always hold two kinds of word (see ``Pattern.also``)
ALSO: dict[str, tuple[str, ...]] = {
    "kerja_sama_tim": _WITH,
    "kerja_sama_label": _WITH,
    "iklan_kampanye": ("kampanye", "politik", "berbayar"),
    "ini_berbayar": ("ini", "this"),
    "didukung_oleh": ("oleh", "ini"),
    "dibayar_oleh": ("oleh",),
    "mendapat_bayaran": ("saya", "kami", "aku", "gue", "gw", "gua"),
    "sponsored_by": ("by",),
    "this_is_an_ad": ("is",),
    "tidak_dibayar": _NEG_WORDS,
    "tidak_menerima_uang": _NEG_WORDS,
    "tidak_diendorse": _NEG_WORDS,
    "not_sponsored": ("not", "no", "never", "non", "unpaid"),
    "yuk_dukung": ("dukung", "pilih", "coblos", "menangkan", "kawal"),
    "jangan_lupa_coblos": ("jangan",),
    "pilih_nomor": ("nomor", "nomer", "no", "paslon", "nmr", "urut"),
    "coblos_imperative": ("dia", "beliau", "kandidat", "partai"),
    "promo_diskon": ("promo", "diskon", "harga", "spesial", "sekarang", "voucher"),
    "tag_teman": ("teman", "temen", "orang", "akun"),
    "link_di_bio": ("bio",),
}
DISCLOSURES = [replace(p, also=ALSO.get(p.name, p.also)) for p in DISCLOSURES]
DENIALS = [replace(p, also=ALSO.get(p.name, p.also)) for p in DENIALS]
PROMO_CUES = [replace(p, also=ALSO.get(p.name, p.also)) for p in PROMO_CUES]
