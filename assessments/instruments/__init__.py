"""Instruments: what a practice is assessed against. An instrument is a versioned questionnaire
(domains, questions of several kinds, options and their points) that program admins build in a
draft, publish (which freezes it) and revise through new draft versions; the shipped sector packs
load a ready-made one. Each instrument carries its change library: goals, with suggested actions
and measures, that strengthen one domain, from which support plans are drafted."""
