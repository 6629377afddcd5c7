"""Readers, one per source format, each producing the canonical frame."""
