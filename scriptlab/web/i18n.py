"""Page text from one Babel message catalogue.

Templates and routes write English msgids (`_("Submit")`); `locale/zh/LC_MESSAGES/
messages.po` holds the Chinese. The .po file is read and compiled in memory with Babel
when the app starts, so there is no build step; English needs no catalogue.
"""

from __future__ import annotations

import gettext
import io
from functools import lru_cache
from importlib import resources

from scriptlab.errors import ScriptlabError
from scriptlab.web.settings import LANGUAGES

DOMAIN = "messages"


def catalogue_path(language: str):
    return resources.files("scriptlab.web") / "locale" / language / "LC_MESSAGES" / \
        f"{DOMAIN}.po"


@lru_cache(maxsize=4)
def translations(language: str) -> gettext.NullTranslations:
    """gettext translations for `language` ("zh" or "en")."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po
    from babel.support import Translations

    if language not in LANGUAGES:
        raise ScriptlabError(f"[ui] language = '{language}' is not available; use one of "
                             f"{', '.join(LANGUAGES)}.")
    path = catalogue_path(language)
    if not path.is_file():
        return gettext.NullTranslations()
    with path.open("rb") as fh:
        catalog = read_po(fh, locale=language)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(fp=buffer, domain=DOMAIN)


# Msgids that templates look up from data (roles, score signals), so no extractor sees them.
DYNAMIC_MSGIDS = ("agent", "reviewer", "trainer", "lead",
                  "reference", "consensus", "keypoints", "style", "ratings")
