#!/usr/bin/env python3
"""Validate the gazetteer files in crates/nlp/data (format: crates/nlp/data/README.md).

Usage: python3 scripts/check-gazetteer.py [DATA_DIR]
Prints one line per problem and exits 1 if there is any; prints row counts otherwise.
Python standard library only.
"""

import os
import re
import sys
import unicodedata

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "crates", "nlp", "data")

# file -> (entity type, column names, how many leading columns must be non-empty (a country
# column may be empty where the rules below allow it)); empty trailing columns may be omitted.
TABLES = {
    "countries.tsv": ("country", ["code", "name", "aliases", "flags"], 2),
    "country-aliases.tsv": (None, ["code", "aliases", "flags"], 2),
    "places.tsv": ("place", ["name", "kind", "country", "aliases", "flags"], 3),
    "organizations.tsv": ("organization", ["name", "country", "aliases", "flags"], 1),
    "people.tsv": ("person", ["name", "country", "aliases", "flags"], 2),
}
LISTS = ["titles.txt", "not-entities.txt", "abbreviations.txt"]
KINDS = {"capital", "city", "province", "state", "region", "island", "sea", "landmark"}
FLAGS = {"ambiguous", "cs", "ci"}

problems = []


def problem(where, msg):
    problems.append(f"{where}: {msg}")


def key(alias):
    """What two aliases must differ in: case, apostrophe style and accents ignored."""
    a = alias.replace("\u2019", "'").casefold()
    a = "".join(c for c in unicodedata.normalize("NFKD", a) if not unicodedata.combining(c))
    return a


def lines(name):
    path = os.path.join(DATA, name)
    if not os.path.exists(path):
        problem(name, "missing")
        return
    with open(path, "rb") as f:
        raw = f.read()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        problem(name, f"not UTF-8: {e}")
        return
    if text.startswith("\ufeff"):
        problem(name, "starts with a byte-order mark")
    if "\r" in text:
        problem(name, "has CR characters (must be LF only)")
    if text and not text.endswith("\n"):
        problem(name, "does not end with a newline")
    for n, line in enumerate(text.split("\n")[:-1] if text.endswith("\n") else text.split("\n"), 1):
        where = f"{name}:{n}"
        if line != line.rstrip():
            problem(where, "trailing whitespace")
        if line.startswith("#"):
            continue
        if not line.strip():
            continue
        yield where, line


def split_names(where, field, what):
    if not field:
        return []
    items = field.split("|")
    for a in items:
        if not a:
            problem(where, f"empty {what} item (stray '|')")
        elif a != a.strip() or "  " in a:
            problem(where, f"{what} item {a!r} has stray spaces")
    dup = {a for a in items if items.count(a) > 1}
    if dup:
        problem(where, f"repeated {what}: {sorted(dup)}")
    return [a for a in items if a]


def read_table(name):
    etype, cols, required = TABLES[name]
    rows = []
    for where, line in lines(name):
        fields = line.split("\t")
        if len(fields) > len(cols):
            problem(where, f"{len(fields)} columns; expected at most {len(cols)} ({' '.join(cols)})")
            continue
        fields += [""] * (len(cols) - len(fields))
        row = dict(zip(cols, fields))
        for c, v in row.items():
            if v != v.strip():
                problem(where, f"column {c} has leading/trailing whitespace")
        for c in cols[:required]:
            if c != "country" and not row[c]:
                problem(where, f"column {c} is empty")
        row["aliases"] = split_names(where, row["aliases"], "alias")
        row["flags"] = split_names(where, row["flags"], "flag")
        row["where"] = where
        rows.append(row)
    return rows


def check_flags(row, names):
    for fl in row["flags"]:
        flag, _, target = fl.partition(":")
        if flag not in FLAGS:
            problem(row["where"], f"unknown flag {flag!r} (known: {sorted(FLAGS)})")
        if target and target not in names:
            problem(row["where"], f"flag {fl!r} names {target!r}, which is not a name of this row")


def flagged(row, alias, flag="ambiguous"):
    return flag in row["flags"] or f"{flag}:{alias}" in row["flags"]


def case_sensitive(row, alias):
    """The README's case rule: `cs`/`ci` flags win; else an alias without lowercase letters
    (an acronym such as "AS", "DPRK", "U.S.", "PDI-P") matches case-sensitively."""
    if flagged(row, alias, "cs"):
        return True
    if flagged(row, alias, "ci"):
        return False
    return not any(c.islower() for c in alias) and any(c.isupper() for c in alias)


def collide(a, b):
    """Whether two names of different entities can match the same text."""
    (ra, na), (rb, nb) = a, b
    if case_sensitive(ra, na) and case_sensitive(rb, nb):
        return na.replace("\u2019", "'") == nb.replace("\u2019", "'")
    return True


def main():
    tables = {name: read_table(name) for name in TABLES}
    codes = {}
    for row in tables["countries.tsv"]:
        if not re.fullmatch(r"[A-Z]{2}", row["code"]):
            problem(row["where"], f"code {row['code']!r} is not two capital letters")
        if row["code"] in codes:
            problem(row["where"], f"code {row['code']} repeated")
        codes[row["code"]] = row

    # The curated aliases must have been merged: countries.tsv is generated from them.
    for row in tables["country-aliases.tsv"]:
        c = codes.get(row["code"])
        if c is None:
            problem(row["where"], f"code {row['code']} not in countries.tsv")
            continue
        have = set(c["aliases"]) | {c["name"]}
        missing = [a for a in row["aliases"] if a not in have]
        if missing or not set(row["flags"]) <= set(c["flags"]):
            problem(row["where"], "not merged into countries.tsv: run python3 scripts/gen-gazetteer.py")

    def check_codes(row, field, allow_empty):
        value = row["country"]
        if not value:
            if not allow_empty:
                problem(row["where"], "country is empty")
            return
        for c in value.split("|"):
            if c not in codes:
                problem(row["where"], f"country {c!r} is not a code in countries.tsv")

    for row in tables["places.tsv"]:
        if row["kind"] not in KINDS:
            problem(row["where"], f"kind {row['kind']!r} not one of {sorted(KINDS)}")
        check_codes(row, "country", allow_empty=row["kind"] in {"region", "sea", "island", "landmark"})
    for row in tables["organizations.tsv"]:
        check_codes(row, "country", allow_empty=True)
    for row in tables["people.tsv"]:
        check_codes(row, "country", allow_empty=False)
        if "|" in row["country"]:
            problem(row["where"], "a person has one country")

    # Every name of every entity, across all files: one entity per name unless flagged.
    seen = {}  # key -> list of (entity label, row, alias)
    identities = set()
    for name, (etype, cols, _) in TABLES.items():
        if etype is None:
            continue
        for row in tables[name]:
            canonical = row.get("name")
            names = [canonical] + row["aliases"]
            check_flags(row, names)
            ident = (etype, canonical, row.get("country", row.get("code")))
            if ident in identities:
                problem(row["where"], f"entity {ident} repeated")
            identities.add(ident)
            label = f"{etype} {canonical!r}" + (f" ({row['country']})" if row.get("country") else "")
            row_keys = set()
            for a in names:
                k = key(a)
                if k in row_keys:
                    continue  # "Türkiye" and "Turkiye" in one row are one name
                row_keys.add(k)
                seen.setdefault(k, []).append((label, row, a))
    for k, owners in sorted(seen.items()):
        for i, (la, ra, na) in enumerate(owners):
            for lb, rb, nb in owners[i + 1 :]:
                if not collide((ra, na), (rb, nb)):
                    continue
                if not (flagged(ra, na) and flagged(rb, nb)):
                    problem(
                        ra["where"],
                        f"{na!r} ({la}) and {nb!r} ({lb}, {rb['where']}) can match the same text; "
                        "flag both ambiguous or drop one",
                    )

    # Capitals: one or more per sovereign country is expected, never a capital with no country.
    for row in tables["places.tsv"]:
        if row["kind"] == "capital" and not row["country"]:
            problem(row["where"], "a capital needs a country")

    # Word lists.
    list_items = {}
    for name in LISTS:
        items = []
        for where, line in lines(name):
            if line != line.strip():
                problem(where, "leading/trailing whitespace")
            if "\t" in line:
                problem(where, "TAB in a one-item-per-line list")
            if name in ("titles.txt", "abbreviations.txt") and line != line.lower():
                problem(where, f"{line!r} must be lowercase")
            if name == "abbreviations.txt" and line.endswith("."):
                problem(where, f"{line!r}: write abbreviations without the final dot")
            if name == "not-entities.txt" and not line[:1].isupper():
                problem(where, f"{line!r}: not-entities are capitalised words")
            if line in items:
                problem(where, f"{line!r} repeated")
            items.append(line)
        list_items[name] = items
    for word in list_items.get("not-entities.txt", []):
        for label, row, alias in seen.get(key(word), []):
            if not case_sensitive(row, alias) or alias == word:
                problem("not-entities.txt", f"{word!r} would also match {alias!r}, a name of {label}")

    if problems:
        for p in problems:
            print(p)
        print(f"{len(problems)} problem(s)")
        sys.exit(1)
    counts = ", ".join(f"{name} {len(rows)}" for name, rows in tables.items())
    counts += ", " + ", ".join(f"{name} {len(items)}" for name, items in list_items.items())
    print(f"ok: {counts}")


if __name__ == "__main__":
    main()
