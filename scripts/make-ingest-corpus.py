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
args = ap.parse_args()
pages = []
for d in args.dirs:
    for name in sorted(os.listdir(d)):
        if name.endswith((".html", ".htm")):
            with open(os.path.join(d, name), "rb") as f:
                pages.append(f.read())
if not pages:
    raise SystemExit("no .html pages found in " + " ".join(args.dirs))
os.makedirs(args.out, exist_ok=True)
rng = random.Random(7)
words = ["banjir", "pemilu", "harga", "pasar", "gempa", "sekolah", "rumah sakit", "jalan tol",
         "nelayan", "petani", "festival", "pelabuhan", "bandara", "kereta", "listrik"]
for i in range(args.count):
    html = pages[i % len(pages)]
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
