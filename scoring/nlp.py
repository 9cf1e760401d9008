"""spaCy pipelines without a trained model (none can be downloaded here).

`spacy.blank(lang)` gives tokenisation; we add a sentencizer and the lookup lemmatizer whose
tables ship in `spacy-lookups-data`. That is enough for cue matching on lemmas and text.
"""

from __future__ import annotations

import threading
from functools import lru_cache

import spacy
from spacy.language import Language as SpacyLanguage

_lock = threading.Lock()


@lru_cache(maxsize=None)
def load_nlp(language: str) -> SpacyLanguage:
    """A blank nl/en pipeline with sentences and lookup lemmas. Cached per process."""
    with _lock:
        nlp = spacy.blank(language)
        nlp.add_pipe("sentencizer")
        nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
        nlp.initialize()
        return nlp
