"""The hashtag and word tables of :mod:`models.endorse.disclosure` (its regex tables are in
:mod:`models.endorse.markers`).

Hashtag bodies are compared after :func:`models.endorse.textview.canon_word` (lower case, look-alikes,
separators and stretched letters undone). Data only.
"""

from __future__ import annotations

#: Hashtag bodies (after :func:`~models.endorse.textview.canon_word`) that disclose, by pattern name.
DISCLOSURE_TAGS: dict[str, tuple[str, ...]] = {
    "hashtag_iklan": ("iklan", "iklanpolitik", "iklankampanye", "iklanberbayar", "iklanresmi", "iklanpemilu"),
    "hashtag_ad": ("ad", "ads", "advert", "advertisement", "advertorial", "adv", "adpartner", "sponsoredad"),
    "hashtag_sponsored": (
        "sponsored",
        "sponsor",
        "disponsori",
        "bersponsor",
        "sponsoredpost",
        "sponsoredcontent",
        "kontenbersponsor",
        "sponsorship",
    ),
    "hashtag_paid": (
        "paidpromote",
        "paidpromotion",
        "paidpromo",
        "paidpartnership",
        "paidpartner",
        "paid",
        "pp",
        "paidpost",
        "paidcollab",
        "paidcontent",
        "paidad",
        "paidendorse",
        "promosiberbayar",
    ),
    "hashtag_endorse": ("endorse", "endorsement", "endorsed", "endorsan"),
    "hashtag_kerjasama": (
        "kerjasama",
        "kerjasamaberbayar",
        "kontenberbayar",
        "berbayar",
        "kolaborasiberbayar",
        "collabberbayar",
        "kemitraanberbayar",
        "mitraberbayar",
    ),
    "hashtag_partner": (
        "partnership",
        "partner",
        "brandpartner",
        "brandedcontent",
        "brandambassador",
        "ambassador",
    ),
}
#: compound hashtags that start with one of these stems disclose too (``#PaidPartnerKoalisiX``)
TAG_PREFIXES: dict[str, tuple[str, ...]] = {
    "hashtag_iklan": ("iklanpolitik", "iklankampanye", "iklanberbayar"),
    "hashtag_paid": ("paidpartner", "paidpromo", "paidcollab", "paidpost", "paidcontent"),
    "hashtag_sponsored": ("sponsoredby", "disponsorioleh"),
    "hashtag_partner": ("brandambassador", "ambassador"),
    "hashtag_kerjasama": ("kerjasamaberbayar", "kemitraanberbayar"),
}
#: ... or end with one of these (``#KolaborasiBerbayar``)
TAG_SUFFIXES: dict[str, tuple[str, ...]] = {
    "hashtag_kerjasama": ("berbayar",),
    "hashtag_sponsored": ("bersponsor", "sponsored"),
    "hashtag_paid": ("paidpartnership", "paidpromote"),
}
#: a hashtag starting with one of these negations and ending in a disclosure word is a denial
TAG_NEGATIONS = (
    "bukan",
    "tidak",
    "tdk",
    "nggak",
    "enggak",
    "gak",
    "ga",
    "not",
    "non",
    "no",
    "never",
    "tanpa",
)
DENIAL_TAG_WORDS = (
    "dibayar",
    "bayar",
    "paid",
    "sponsor",
    "sponsored",
    "endorse",
    "iklan",
    "ad",
    "ads",
    "anad",
    "buzzer",
    "settingan",
    "pesanan",
)
#: a disclosure word written in disguise outside a hashtag (``ikl4n``, ``i k l a n``) is a label
OBFUSCATED_WORDS = (
    "iklan",
    "sponsored",
    "bersponsor",
    "disponsori",
    "endorse",
    "berbayar",
    "paidpromote",
    "advertorial",
)
#: words that mean the marker is being *talked about* just before it ("pasang #iklan", "label 'iklan'")
META_WORDS = frozenset(
    (
        "hashtag",
        "tagar",
        "label",
        "tulisan",
        "pasang",
        "masang",
        "memasang",
        "pake",
        "pakai",
        "memakai",
        "cantumkan",
        "mencantumkan",
        "istilah",
        "kata",
        "tanda",
        "caption",
        "keterangan",
        "fitur",
        "tag",
        "nulis",
        "menulis",
        "tulis",
        "ditulis",
    )
)
QUOTES = "'\"‘’“”«»`"
