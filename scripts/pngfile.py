"""A minimal PNG writer (8-bit RGB, one IDAT) for the repository's scripts."""
import struct
import zlib


def encode_png(width, height, rows, level=9):
    """rows: the raw scanlines, each a filter byte (0) and width*3 RGB bytes."""

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"".join(rows), level)) + chunk(b"IEND", b""))
