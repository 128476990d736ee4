"""Instrument packs shipped with the platform: one practice-readiness self-assessment and its
starter change library per sector, written by us. `services.pack_load` puts one into a
program; the file format and its checks are in loader.py."""

from assessments.instruments.packs.loader import (
    Pack,
    PackError,
    available_packs,
    pack_by_key,
    read_pack,
)

__all__ = ["Pack", "PackError", "available_packs", "pack_by_key", "read_pack"]
