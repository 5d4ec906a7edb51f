#!/usr/bin/env python3
"""Prints a text PDF as an office scanner would, to test OCR on scans nobody gave us.

Each page is rendered by pdftoppm in grey at --dpi, turned by --skew degrees (the sheet fed
askew; alternate pages turn the other way), blurred by --blur pixels (the scanner's optics),
given paper and sensor noise of --noise grey levels (standard deviation), and saved as a JPEG
of --quality: one image-only page per page, at the page's size. The same arguments give the
same bytes (the noise is seeded by --seed).

The defaults match the office200 scans in the shared corpus (200 dpi grey JPEG, a fraction of
a degree of skew, background noise of about 4.5 levels). Harsher settings stand for scans we
do not have: lower resolution, more skew, softer optics, stronger compression.

usage: scan.py IN.pdf OUT.pdf [--dpi 200] [--skew 0.3] [--blur 0.5] [--noise 4.5]
                              [--quality 75] [--seed 1]
needs: pdftoppm (poppler-utils), Pillow, numpy
"""
import argparse
import glob
import io
import os
import subprocess
import tempfile

import numpy as np
from PIL import Image, ImageFilter


def scan_page(path, args, turn):
    page = Image.open(path).convert("L")
    if args.skew:
        page = page.rotate(turn * args.skew, resample=Image.BICUBIC, expand=True, fillcolor=255)
    if args.blur:
        page = page.filter(ImageFilter.GaussianBlur(args.blur))
    rng = np.random.default_rng(args.seed)
    px = np.asarray(page, dtype=np.float32)
    px = px + rng.normal(0.0, args.noise, px.shape)
    page = Image.fromarray(np.clip(px, 0, 255).astype(np.uint8), "L")
    jpeg = io.BytesIO()
    page.save(jpeg, "JPEG", quality=args.quality)
    return Image.open(io.BytesIO(jpeg.getvalue()))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("input")
    ap.add_argument("output")
    ap.add_argument("--dpi", type=int, default=200)
    ap.add_argument("--skew", type=float, default=0.3, help="degrees")
    ap.add_argument("--blur", type=float, default=0.5, help="Gaussian radius, pixels")
    ap.add_argument("--noise", type=float, default=4.5, help="standard deviation, grey levels")
    ap.add_argument("--quality", type=int, default=75, help="JPEG quality")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["pdftoppm", "-r", str(args.dpi), "-gray", args.input, os.path.join(tmp, "p")], check=True)
        paths = sorted(glob.glob(os.path.join(tmp, "p-*.pgm")))
        pages = []
        for n, path in enumerate(paths):
            args_n = argparse.Namespace(**{**vars(args), "seed": args.seed * 1000 + n})
            pages.append(scan_page(path, args_n, 1 if n % 2 == 0 else -1))
    first, rest = pages[0], pages[1:]
    # Pillow writes each JPEG page as a DCT image XObject of the page's size at this resolution.
    first.save(args.output, "PDF", save_all=True, append_images=rest, resolution=float(args.dpi))


if __name__ == "__main__":
    main()
