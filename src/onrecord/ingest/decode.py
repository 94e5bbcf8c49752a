"""Bytes to text: refuse binary, prefer UTF-8, otherwise detect and say what was assumed."""

from __future__ import annotations

from charset_normalizer import from_bytes

from onrecord.errors import InputError

_BINARY_SIGNATURES = (b"%PDF", b"PK\x03\x04", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"\x7fELF")


def decode(data: bytes, path: str) -> tuple[str, str | None]:
    """Return ``(text, note)``; ``note`` says which encoding was assumed when not UTF-8."""
    if not data.strip():
        raise InputError(path, "the file is empty; nothing to read")
    if data.startswith(_BINARY_SIGNATURES) or b"\x00" in data[:8192]:
        raise InputError(path, "this is a binary file, not text; convert it to text, HTML or JSONL first")
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        utf8_error = exc
    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise InputError(
            path,
            f"cannot decode the bytes as UTF-8 (byte {utf8_error.start}) nor guess their encoding; "
            "re-save the file as UTF-8",
        )
    text = str(best)
    if sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t\f") > len(text) / 100:
        raise InputError(path, "this looks like binary data, not text")
    return text, f"not UTF-8; decoded as {best.encoding} (detected)"
