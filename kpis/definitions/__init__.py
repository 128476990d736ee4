"""KPI definitions and targets (program admins), and the sector packs they load from."""
