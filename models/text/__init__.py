"""Indonesian text layer: normalisation, slang lexicon, entity masking and language identification.

Models never see candidate or party names (:func:`models.text.entities.mask_entities`) nor ballot numbers
(:func:`models.text.normalize.normalize` turns them into ``<nomor_urut>``): this is how they stay neutral.
"""

from models.text.normalize import normalize, tokens

__all__ = ["normalize", "tokens"]
