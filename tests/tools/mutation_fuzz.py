#!/usr/bin/env python3
"""Mutation fuzz of a whole run: mutants of the real corpus in the repo through `gongkai extract`.

Every PDF is first decompressed (its Flate streams inflated in place), so that the edits reach
what the readers parse: content streams, ToUnicode CMaps and the page tree; the other files
get byte-level edits. Mutants are read in batches, one `gongkai extract` run per batch; a run
that does not exit 0 is an aborted run (a crash the isolation failed to contain). Prints the
counts by documents status and the aborted runs. Not part of `cargo test` (minutes, not
seconds); run it by hand:

    cargo build --release && python3 tests/tools/mutation_fuzz.py --n 2000 [--seed 1] [--keep DIR]
"""

import argparse
import collections
import csv
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import zlib

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CORPUS = [os.path.join(ROOT, d) for d in ("tests/fixtures/real", "tests/fixtures/pdf", "samples/generated", "tests/fixtures/office", "tests/fixtures/web")]
STREAM = re.compile(rb"(<<(?:(?!>>\s*stream).)*?>>)\s*stream\r?\n(.*?)endstream", re.S)


def decompress_pdf(data):
    """The PDF with every Flate stream inflated and its /Filter and /Length fixed."""

    def inflate(m):
        head, body = m.group(1), m.group(2)
        if b"/FlateDecode" not in head or b"/DecodeParms" in head:
            return m.group(0)
        try:
            raw = zlib.decompressobj().decompress(body)
        except zlib.error:
            return m.group(0)
        head = re.sub(rb"/Filter\s*(/FlateDecode|\[\s*/FlateDecode\s*\])", b"", head)
        head = re.sub(rb"/Length\s+\d+(\s+\d+\s+R)?", b"/Length %d" % len(raw), head)
        return head + b"\nstream\n" + raw + b"\nendstream"

    return STREAM.sub(inflate, data)


def stream_spans(data, marker):
    """(start, end) of stream bodies holding `marker` (content operators, a CMap)."""
    return [(m.start(2), m.end(2)) for m in STREAM.finditer(data) if marker(m.group(2))]


def edit_content(data, rng):
    spans = stream_spans(data, lambda b: b" Tj" in b or b"TJ" in b or b" re" in b)
    if not spans:
        return byte_edit(data, rng)
    a, b = rng.choice(spans)
    body = data[a:b]
    choice = rng.randrange(6)
    if choice == 0:  # numbers blown up or made negative
        body = re.sub(rb"-?\d+\.?\d*", lambda m: rng.choice([b"1e38", b"-99999999", b"0", b"NaN", m.group(0) * 3]), body, count=rng.randint(1, 50))
    elif choice == 1:  # a deep save stack
        body = b"q " * rng.choice([300, 100000]) + body
    elif choice == 2:  # a huge string
        body = body.replace(b"(", b"(" + b"A" * rng.choice([10000, 3000000]), 1)
    elif choice == 3:  # operators shuffled
        lines = body.split(b"\n")
        rng.shuffle(lines)
        body = b"\n".join(lines)
    elif choice == 4:  # a slice repeated
        i = rng.randrange(max(1, len(body)))
        body = body[:i] + body[i : i + 2000] * rng.randint(2, 200) + body[i:]
    else:  # operands dropped
        body = re.sub(rb"[\d.]+ ", b"", body, count=rng.randint(1, 30))
    return data[:a] + body + data[b:]


def edit_cmap(data, rng):
    spans = stream_spans(data, lambda b: b"begincmap" in b)
    if not spans:
        return edit_content(data, rng)
    a, b = rng.choice(spans)
    body = data[a:b]
    choice = rng.randrange(4)
    if choice == 0:  # a range over the whole code space
        body = re.sub(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<", lambda m: b"<0000> <FFFF> <", body, count=1)
    elif choice == 1:  # broken hex
        body = re.sub(rb"<[0-9A-Fa-f]{4}>", b"<ZZ>", body, count=rng.randint(1, 20))
    elif choice == 2:  # huge counts
        body = re.sub(rb"\d+ begin(bfchar|bfrange)", lambda m: b"99999999 begin" + m.group(1), body)
    else:  # destination strings made long
        body = re.sub(rb"<([0-9A-Fa-f]{4})>\s*\n", lambda m: b"<" + m.group(1) * 500 + b">\n", body, count=5)
    return data[:a] + body + data[b:]


def edit_page_tree(data, rng):
    choice = rng.randrange(5)
    if choice == 0:
        return re.sub(rb"/Count\s+\d+", lambda m: rng.choice([b"/Count 99999999999", b"/Count 2147483647", b"/Count -1", b"/Count 0"]), data, count=rng.randint(1, 3))
    if choice == 1:  # a kid that is its own parent
        return re.sub(rb"/Kids\s*\[\s*(\d+) 0 R", lambda m: b"/Kids [" + m.group(1) + b" 0 R " + m.group(1) + b" 0 R", data, count=1)
    if choice == 2:  # parents pointing at pages
        return re.sub(rb"/Parent\s+\d+ 0 R", b"/Parent 1 0 R", data, count=rng.randint(1, 20))
    if choice == 3:  # pages typed as page trees
        return data.replace(b"/Type /Page ", b"/Type /Pages ", rng.randint(1, 5))
    return re.sub(rb"/Kids\s*\[[^\]]*\]", b"/Kids [1 0 R]", data, count=1)


def byte_edit(data, rng):
    data = bytearray(data)
    choice = rng.randrange(4)
    if choice == 0 and data:
        for _ in range(rng.randint(1, 64)):
            data[rng.randrange(len(data))] = rng.randrange(256)
    elif choice == 1:
        del data[rng.randrange(max(1, len(data))) :]
    elif choice == 2 and data:
        i = rng.randrange(len(data))
        data[i:i] = data[i : i + rng.randint(1, 4096)] * rng.randint(2, 50)
    else:
        i, j = sorted(rng.randrange(max(1, len(data))) for _ in range(2))
        del data[i:j]
    return bytes(data)


def mutate(path, data, rng):
    if data.startswith(b"%PDF"):
        return rng.choice([edit_content, edit_content, edit_cmap, edit_page_tree, byte_edit])(data, rng)
    return byte_edit(data, rng)


def corpus():
    files = []
    for d in CORPUS:
        for name in sorted(os.listdir(d)) if os.path.isdir(d) else []:
            p = os.path.join(d, name)
            if os.path.isfile(p) and not name.endswith((".md", ".tsv", ".py")):
                files.append(p)
    return files


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=2000, help="mutants in all")
    ap.add_argument("--batch", type=int, default=200, help="mutants per gongkai run")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--bin", default=os.path.join(ROOT, "target/release/gongkai"))
    ap.add_argument("--keep", help="keep the mutants and outputs in this folder")
    ap.add_argument("--extra", nargs="*", default=[], help="more arguments for gongkai extract")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    sources = []
    for p in corpus():
        data = open(p, "rb").read()
        if data.startswith(b"%PDF"):
            data = decompress_pdf(data)
        sources.append((p, data))
    work = args.keep or tempfile.mkdtemp(prefix="gongkai-mutants-")
    statuses, aborted, runs = collections.Counter(), [], 0
    for first in range(0, args.n, args.batch):
        batch = os.path.join(work, f"batch{first // args.batch:03d}")
        shutil.rmtree(batch, ignore_errors=True)
        os.makedirs(os.path.join(batch, "in"))
        for i in range(first, min(args.n, first + args.batch)):
            path, data = rng.choice(sources)
            ext = os.path.splitext(path)[1]
            with open(os.path.join(batch, "in", f"m{i:05d}{ext}"), "wb") as f:
                f.write(mutate(path, data, rng))
        out = os.path.join(batch, "out")
        cmd = [args.bin, "extract", os.path.join(batch, "in"), "-o", out, "--format", "csv", "--ocr", "off", "--timeout-secs", "30", "-q", "--fail-on", "none"] + args.extra
        r = subprocess.run(cmd, capture_output=True)
        runs += 1
        if r.returncode != 0:
            aborted.append((batch, r.returncode, r.stderr.decode(errors="replace")[-300:]))
            continue
        with open(os.path.join(out, "documents.csv"), newline="", encoding="utf-8") as f:
            for row in csv.DictReader(f):
                statuses[row["status"]] += 1
        print(f"{min(args.n, first + args.batch)} mutants read; statuses so far {dict(statuses)}", file=sys.stderr)
    print(f"mutants: {args.n} in {runs} runs; aborted runs: {len(aborted)}")
    print("documents by status: " + ", ".join(f"{s} {n}" for s, n in sorted(statuses.items())))
    for batch, code, tail in aborted:
        print(f"ABORTED {batch}: exit {code}: {tail}")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    sys.exit(1 if aborted else 0)


if __name__ == "__main__":
    main()
