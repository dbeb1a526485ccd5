"""Every Swedish UI string has its English: the English catalogue (locale/en, made by
`make messages`) has no untranslated and no fuzzy entry, plural entries have both forms,
and each translation keeps the placeholders of its msgid. A new string fails here until
it is translated, listed by its msgid."""

import re
from pathlib import Path

PO = Path(__file__).resolve().parents[2] / "locale" / "en" / "LC_MESSAGES" / "django.po"
FIELD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) "(.*)"$')
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\{.*?\}\}")
ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}


def unquote(text):
    return re.sub(r"\\(.)", lambda m: ESCAPES.get(m.group(1), m.group(1)), text)


def entries(text):
    """The .po's entries as dicts: msgid, msgid_plural, msgstr or msgstr[n], and flags.
    An entry is a block of lines up to a blank line; a field's string may go on over
    several quoted lines; obsolete (#~) and other comment lines are skipped."""
    found = []
    for block in re.split(r"\n\s*\n", text):
        entry, field = {"flags": set()}, None
        for line in block.strip().splitlines():
            if line.startswith("#,"):
                entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
            elif line.startswith("#"):
                continue
            elif match := FIELD.match(line):
                field = match.group(1)
                entry[field] = unquote(match.group(2))
            elif line.startswith('"') and field:
                entry[field] += unquote(line.strip()[1:-1])
        if entry.get("msgid"):
            found.append(entry)
    return found


def translations(entry):
    return [value for key, value in entry.items() if key.startswith("msgstr")]


def test_the_parser_reads_multiline_plural_and_fuzzy_entries():
    text = (
        '#: a.py:1\n#, fuzzy, python-format\nmsgid ""\n"Hej %(name)s, "\n"\\"du\\"\\n"\n'
        'msgstr "Hi %(name)s"\n\n'
        'msgid "%(n)s barn"\nmsgid_plural "%(n)s barn"\nmsgstr[0] "%(n)s child"\n'
        'msgstr[1] ""\n\n#~ msgid "gammal"\n#~ msgstr ""\n'
    )
    first, second = entries(text)
    assert first["msgid"] == 'Hej %(name)s, "du"\n' and "fuzzy" in first["flags"]
    assert translations(second) == ["%(n)s child", ""]


def test_every_string_has_its_english():
    catalogue = entries(PO.read_text(encoding="utf-8"))
    assert len(catalogue) > 1000
    untranslated = [e["msgid"] for e in catalogue if not all(translations(e))]
    fuzzy = [e["msgid"] for e in catalogue if "fuzzy" in e["flags"]]
    assert not untranslated, "Translate (after `make messages`):\n" + "\n".join(untranslated)
    assert not fuzzy, "Check, then remove the fuzzy flag:\n" + "\n".join(fuzzy)


def test_every_translation_keeps_the_placeholders_of_its_msgid():
    wrong = [
        e["msgid"]
        for e in entries(PO.read_text(encoding="utf-8"))
        for text in translations(e)
        if sorted(PLACEHOLDER.findall(text)) != sorted(PLACEHOLDER.findall(e["msgid"]))
    ]
    assert not wrong, "Placeholders differ from the msgid's:\n" + "\n".join(wrong)
