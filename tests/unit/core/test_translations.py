"""Every UI string in code and templates has a Russian translation (Russian is the default)."""
from __future__ import annotations

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from tests.support.paths import PROJECT_ROOT

ROOT = PROJECT_ROOT
METHODS = [("**/.venv/**", "ignore"), ("tests/**", "ignore"), ("migrations/**", "ignore"),
           ("**.py", "python"), ("**/templates/**.html", "jinja2"), ("**/templates/**.txt", "jinja2")]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}


def _source_msgids() -> set[str]:
    ids = set()
    for _file, _line, message, _comments, _ctx in extract_from_dir(
        str(ROOT), METHODS, keywords=KEYWORDS, options_map={"**/templates/**": {"extensions": "jinja2.ext.i18n"}}
    ):
        ids.add(message if isinstance(message, str) else message[0])
    return ids


def test_every_string_has_a_russian_translation():
    with open(ROOT / "translations/ru/LC_MESSAGES/messages.po", "rb") as handle:
        catalogue = read_po(handle)
    translated = {m.id for m in catalogue if m.id and m.string and not m.fuzzy}
    source = _source_msgids()
    assert len(source) > 100
    missing = sorted(source - translated)
    assert missing == [], f"translate in translations/ru (pybabel extract + update): {missing}"
