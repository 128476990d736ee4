"""KPI packs shipped with the platform: a sector's usual KPIs, and the platform's computed ones,
written by us. `kpis.definitions.services.pack_load` adds one to a program; the file format and
its checks are in loader.py."""

from kpis.definitions.packs.loader import (
    Pack,
    PackError,
    PackKpi,
    available_packs,
    pack_by_key,
    read_pack,
)

__all__ = ["Pack", "PackError", "PackKpi", "available_packs", "pack_by_key", "read_pack"]
