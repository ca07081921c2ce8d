"""argparse's own words (usage, options, "the following arguments are required", "invalid
choice" …) in the user's language: argparse asks gettext for each of them at the moment it says
it, so the desk answers those questions from its catalog (data/messages/argparse.toml). A message
the catalog does not know stays argparse's English."""

from __future__ import annotations

import argparse
import gettext

from liyuan_tui.domain.i18n import catalog_file

# argparse's message (its gettext msgid) → the catalog's key
WORDS = {
    "usage: ": "argparse.usage",
    "positional arguments": "argparse.positional",
    "options": "argparse.options",
    "optional arguments": "argparse.options",
    "show this help message and exit": "argparse.help",
    "the following arguments are required: %s": "argparse.required",
    "unrecognized arguments: %s": "argparse.unrecognized",
    "argument %(argument_name)s: %(message)s": "argparse.argument",
    "invalid choice: %(value)r (choose from %(choices)s)": "argparse.invalid_choice",
    "expected one argument": "argparse.expected_one",
    "expected at most one argument": "argparse.expected_at_most_one",
    "expected at least one argument": "argparse.expected_at_least_one",
    "expected %s argument": "argparse.expected_n",
    "expected %s arguments": "argparse.expected_n",
    "not allowed with argument %s": "argparse.not_allowed_with",
    "one of the arguments %s is required": "argparse.one_required",
    "ambiguous option: %(option)s could match %(matches)s": "argparse.ambiguous",
    "invalid %(type)s value: %(value)r": "argparse.invalid_value",
    "ignored explicit argument %r": "argparse.ignored_argument",
    "unexpected option string: %s": "argparse.unexpected_option",
}


def speak(lang: str) -> None:
    """From now on argparse says its own words in `lang` (English: as argparse writes them)."""
    known: dict[str, str] = {}  # (gettext looks for catalog files at every call: 300 a parser built)

    def said(message: str) -> str:
        if message not in known:
            key = WORDS.get(message)
            if key is None or lang == "en":
                known[message] = gettext.gettext(message)
            else:  # (argparse.toml alone: a command that says nothing else never reads the rest)
                known[message] = catalog_file("argparse.toml").get(key, {}).get(lang) or message
        return known[message]

    def said_n(singular: str, plural: str, n: int) -> str:
        return said(singular if n == 1 else plural)

    argparse._ = said  # type: ignore[attr-defined]  # argparse looks its words up at call time
    argparse.ngettext = said_n  # type: ignore[attr-defined]


def language_of(argv: list[str], environ_lang: str | None) -> str:
    """The language asked for before the parser has run: --lang, else $LIYUAN_LANG, else zh."""
    lang = environ_lang or "zh"
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            lang = argv[i + 1]
        elif arg.startswith("--lang="):
            lang = arg.split("=", 1)[1]
    return lang if lang in ("zh", "en") else "zh"


__all__: list[str] = ["WORDS", "language_of", "speak"]
