#!/usr/bin/env python3
"""Builds the ingest benchmark corpus: N pages made by repeating and varying the shared
extraction sets (a numbered sentence added to the body, the canonical URL and title made
unique), written to OUT (never into the repo).

    python3 scripts/make-ingest-corpus.py ../shared/bench/extraction/dev/html \
        ../shared/bench/extraction-id/dev/html --count 10000 --out /tmp/warta-ingest-10k
"""
import argparse, os, re, random

ap = argparse.ArgumentParser()
ap.add_argument("dirs", nargs="+")
ap.add_argument("--count", type=int, default=10000)
ap.add_argument("--out", required=True)
ap.add_argument("--distinct", action="store_true",
                help="make every page a different story: its paragraphs are replaced by "
                     "paragraphs drawn from all pages of the same directory, so copy "
                     "detection folds nothing and every page is stored as an article")
args = ap.parse_args()
pages = []
pools = []
PARA = re.compile(rb"(<p(?:\s[^>]*)?>)(.*?)(</p>)", re.S | re.I)
for d in args.dirs:
    pool = []
    for name in sorted(os.listdir(d)):
        if name.endswith((".html", ".htm")):
            with open(os.path.join(d, name), "rb") as f:
                html = f.read()
            pool.extend(m.group(2) for m in PARA.finditer(html) if len(m.group(2)) > 80)
            pages.append((html, len(pools)))
    pools.append(pool)
if not pages:
    raise SystemExit("no .html pages found in " + " ".join(args.dirs))
os.makedirs(args.out, exist_ok=True)
rng = random.Random(7)
words = ["banjir", "pemilu", "harga", "pasar", "gempa", "sekolah", "rumah sakit", "jalan tol",
         "nelayan", "petani", "festival", "pelabuhan", "bandara", "kereta", "listrik"]
for i in range(args.count):
    html, pool = pages[i % len(pages)]
    if args.distinct and pools[pool]:
        html = PARA.sub(lambda m: m.group(1) + rng.choice(pools[pool]) + m.group(3), html)
    extra = (f"<p>Catatan redaksi nomor {i}: laporan tambahan tentang {rng.choice(words)} "
             f"dan {rng.choice(words)} di wilayah {i % 97}.</p>").encode()
    html = re.sub(rb"(<p[ >])", extra + rb"\1", html, count=1)
    html = re.sub(rb"(<title>)", rb"\1" + f"[{i}] ".encode(), html, count=1, flags=re.I)
    # Each page its own address: drop canonical links and og:url, then add one.
    html = re.sub(rb'<link[^>]*rel=["\']?canonical[^>]*>', b"", html, flags=re.I)
    html = re.sub(rb'<meta[^>]*property=["\']?og:url[^>]*>', b"", html, flags=re.I)
    html = re.sub(rb"(<head[^>]*>)", rb"\1" + f'<link rel="canonical" href="https://bench.example/a/{i}">'.encode(), html, count=1, flags=re.I)
    with open(os.path.join(args.out, f"{i:05d}.html"), "wb") as f:
        f.write(html)
print(f"wrote {args.count} pages to {args.out}")
