#!/usr/bin/env python3
"""Generate crates/nlp/data/countries.tsv from Debian's iso-codes and the curated aliases.

Usage:
    python3 scripts/gen-gazetteer.py           # (re)write crates/nlp/data/countries.tsv
    python3 scripts/gen-gazetteer.py --check   # exit 1 if countries.tsv is not up to date
    python3 scripts/gen-gazetteer.py --iso-dir DIR --locale-dir DIR   # other iso-codes install

Inputs (Debian package `iso-codes`, LGPL-2.1-or-later):
    /usr/share/iso-codes/json/iso_3166-1.json          current countries
    /usr/share/iso-codes/json/iso_3166-3.json          former countries
    /usr/share/locale/{id,ms}/LC_MESSAGES/iso_3166-{1,3}.mo   Indonesian and Malay names
and crates/nlp/data/country-aliases.tsv (curated press forms, the project's own).

Output rows: code TAB name TAB aliases [TAB flags], sorted by code; see crates/nlp/data/README.md.
Only the Python standard library is used; the output depends only on the inputs.
"""

import argparse
import gettext
import gzip
import json
import os
import re
import sys
import unicodedata

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "crates", "nlp", "data")
OUT = os.path.join(DATA, "countries.tsv")
CURATED = os.path.join(DATA, "country-aliases.tsv")
LANGS = ("id", "ms")

# The short English name a journalist writes, where iso-codes' name is an official or
# inverted form ("Korea, Democratic People's Republic of") or not the usual press form.
CANONICAL = {
    "BN": "Brunei",
    "BO": "Bolivia",
    "BQ": "Caribbean Netherlands",
    "CC": "Cocos Islands",
    "CD": "DR Congo",
    "CG": "Republic of the Congo",
    "CI": "Ivory Coast",
    "CV": "Cape Verde",
    "FK": "Falkland Islands",
    "FM": "Micronesia",
    "GB": "United Kingdom",
    "HK": "Hong Kong",
    "IR": "Iran",
    "KP": "North Korea",
    "KR": "South Korea",
    "LA": "Laos",
    "MD": "Moldova",
    "MF": "Saint Martin",
    "MO": "Macau",
    "PS": "Palestine",
    "RU": "Russia",
    "SH": "Saint Helena",
    "SX": "Sint Maarten",
    "SY": "Syria",
    "TR": "Turkey",
    "TW": "Taiwan",
    "TZ": "Tanzania",
    "US": "United States",
    "VA": "Vatican City",
    "VE": "Venezuela",
    "VG": "British Virgin Islands",
    "VI": "United States Virgin Islands",
    "VN": "Vietnam",
}

# Former countries (ISO 3166-3, keyed by alpha-4 because alpha-2 "CS" was used twice)
# that news still names, with the canonical name and the code the row gets.
FORMER = {
    "SUHH": ("SU", "Soviet Union"),
    "YUCS": ("YU", "Yugoslavia"),
    "CSHH": ("CS", "Czechoslovakia"),
    "DDDE": ("DD", "East Germany"),
}

# Codes outside ISO 3166-1 that news needs: XK is the user-assigned code the EU, CLDR and
# most data sets use for Kosovo.
EXTRA = {
    "XK": "Kosovo",
}

# Former names of countries that still exist under another name: their names become
# aliases of the successor (Burma -> Myanmar, Zaire -> DR Congo ...).
FORMER_NAMES_OF = {
    "BUMM": "MM",
    "DYBJ": "BJ",
    "HVBF": "BF",
    "NHVU": "VU",
    "RHZW": "ZW",
    "TPTL": "TL",
    "ZRCD": "CD",
}

# Names from iso-codes left out because they would be wrong or dangerous as free-text
# matches (see the README, "countries.tsv: which iso-codes names become aliases").
EXCLUDED = {
    ("IN", "Hindia"),  # ms; in Indonesian "Hindia" is the Indies ("Hindia Belanda", "Samudra Hindia")
    ("PT", "Feringgi"),  # ms; archaic "Franks/Europeans", not a name for Portugal in news
    ("FI", "Repulik Finlandia"),  # typo in the id catalogue
    ("HU", "Hungari"),  # ms; one letter from "Hungaria"/"Hungary", adds nothing but noise
}

MIN_LEN = 4  # shorter names only when written in capitals (acronyms)


def clean(name):
    """The free-text form of an iso-codes name, or None when it has none."""
    name = re.sub(r"\s*\([^)]*\)", "", name)  # "Holy See (Vatican City State)" -> "Holy See"
    name = re.sub(r"\s+", " ", name).strip()
    if name.startswith("the "):
        name = name[4:]
    if "," in name:  # inverted or list forms: "Korea, Republic of", "Saint Helena, Ascension ..."
        return None
    if len(name) < MIN_LEN and not name.isupper():
        return None
    return name


def ascii_fold(name):
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def translations(locale_dir, domain):
    out = []
    for lang in LANGS:
        path = os.path.join(locale_dir, lang, "LC_MESSAGES", domain + ".mo")
        with open(path, "rb") as f:
            out.append(gettext.GNUTranslations(f))
    return out


def iso_version(iso_dir):
    changelog = "/usr/share/doc/iso-codes/changelog.Debian.gz"
    if iso_dir == "/usr/share/iso-codes/json" and os.path.exists(changelog):
        with gzip.open(changelog, "rt", encoding="utf-8") as f:
            m = re.match(r"iso-codes \(([^)]+)\)", f.readline())
            if m:
                return m.group(1)
    return "unknown"


class Row:
    def __init__(self, code, name):
        self.code = code
        self.name = name
        self.aliases = []
        self.flags = []

    def add(self, alias, code_for_exclusion=None):
        if alias is None:
            return
        if (code_for_exclusion or self.code, alias) in EXCLUDED:
            return
        for a in (alias, ascii_fold(alias)):
            if a != self.name and a not in self.aliases:
                self.aliases.append(a)

    def line(self):
        fields = [self.code, self.name, "|".join(self.aliases)]
        if self.flags:
            fields.append("|".join(self.flags))
        return "\t".join(fields).rstrip("\t")


def read_curated(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        for n, raw in enumerate(f, 1):
            line = raw.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            fields = line.split("\t")
            if len(fields) < 2 or len(fields) > 3:
                sys.exit(f"{path}:{n}: expected code TAB aliases [TAB flags]")
            aliases = [a for a in fields[1].split("|") if a]
            flags = [f for f in fields[2].split("|") if f] if len(fields) == 3 else []
            rows.append((n, fields[0], aliases, flags))
    return rows


def build(iso_dir, locale_dir):
    with open(os.path.join(iso_dir, "iso_3166-1.json"), encoding="utf-8") as f:
        current = json.load(f)["3166-1"]
    with open(os.path.join(iso_dir, "iso_3166-3.json"), encoding="utf-8") as f:
        former = json.load(f)["3166-3"]
    tr1 = translations(locale_dir, "iso_3166-1")
    tr3 = translations(locale_dir, "iso_3166-3")

    rows = {}
    for e in current:
        code = e["alpha_2"]
        english = [e[k] for k in ("common_name", "name", "official_name") if k in e]
        row = Row(code, CANONICAL.get(code) or clean(english[0]) or english[0])
        for n in english:
            row.add(clean(n))
        rows[code] = row

    for code, name in EXTRA.items():
        rows[code] = Row(code, name)

    def former_names(e):
        # "USSR, Union of Soviet Socialist Republics" -> USSR, Union of Soviet Socialist Republics;
        # "Zaire, Republic of" -> Zaire (parts ending in "of" are inverted tails).
        parts = [p for p in e["name"].split(", ") if not p.endswith(" of")]
        return [clean(p) for p in parts] + [clean(t.gettext(e["name"])) for t in tr3]

    for e in former:
        key = e["alpha_4"]
        if key in FORMER:
            code, name = FORMER[key]
            row = Row(code, name)
            for n in former_names(e):
                row.add(n)
            rows[code] = row
        elif key in FORMER_NAMES_OF:
            for n in former_names(e):
                rows[FORMER_NAMES_OF[key]].add(n)

    curated = read_curated(CURATED)
    for n, code, aliases, flags in curated:
        if code not in rows:
            sys.exit(f"{CURATED}:{n}: unknown code {code}")
        for a in aliases:
            rows[code].add(a)
        for fl in flags:
            if fl not in rows[code].flags:
                rows[code].flags.append(fl)

    # Translations last, so the English and curated press forms come first in each row.
    for e in current:
        code = e["alpha_2"]
        english = [e[k] for k in ("common_name", "name", "official_name") if k in e]
        for t in tr1:
            for n in english:
                rows[code].add(clean(t.gettext(n)))

    header = [
        "# GENERATED by scripts/gen-gazetteer.py -- do not edit; edit country-aliases.tsv or the script.",
        f"# Names derive from Debian iso-codes {iso_version(iso_dir)} (LGPL-2.1-or-later): ISO 3166-1/3166-3 and",
        "# their id/ms translations; curated press forms from country-aliases.tsv. Format: README.md.",
        "# code\tname\taliases\tflags",
    ]
    body = [rows[c].line() for c in sorted(rows)]
    return "\n".join(header + body) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--check", action="store_true", help="fail if countries.tsv is stale")
    ap.add_argument("--iso-dir", default="/usr/share/iso-codes/json")
    ap.add_argument("--locale-dir", default="/usr/share/locale")
    args = ap.parse_args()
    text = build(args.iso_dir, args.locale_dir)
    if args.check:
        with open(OUT, encoding="utf-8") as f:
            if f.read() != text:
                sys.exit("countries.tsv is stale: run python3 scripts/gen-gazetteer.py")
        print("countries.tsv is up to date")
        return
    with open(OUT, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    print(f"wrote {os.path.relpath(OUT, ROOT)}: {text.count(chr(10)) - 4} countries")


if __name__ == "__main__":
    main()
