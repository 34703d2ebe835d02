#!/usr/bin/env python3
"""Writes one PNG per image a SIUO generation file names, for trying imports
without the real images (they are shipped separately and never committed).

usage: scripts/make-test-images.py GEN_JSON OUT_DIR [--kb SIZE]

Each image is a valid RGB PNG of about SIZE kilobytes (default 300, about the
size of SIUO's own photos) holding random pixels, so every file differs.
"""
import argparse
import json
import math
import os

from pngfile import encode_png


def png(width, height):
    rows = [b"\x00" + os.urandom(width * 3) for _ in range(height)]
    return encode_png(width, height, rows, level=0)  # random pixels do not compress: store them


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gen_json")
    parser.add_argument("out_dir")
    parser.add_argument("--kb", type=int, default=300)
    args = parser.parse_args()
    with open(args.gen_json) as handle:
        names = sorted({item["image"] for item in json.load(handle)})
    side = max(1, int(math.sqrt(args.kb * 1024 / 3)))
    os.makedirs(args.out_dir, exist_ok=True)
    for name in names:
        with open(os.path.join(args.out_dir, name), "wb") as handle:
            handle.write(png(side, side))
    print(f"wrote {len(names)} images of {side}x{side} to {args.out_dir}")


if __name__ == "__main__":
    main()
