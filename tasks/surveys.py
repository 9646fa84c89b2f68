"""Stub: replaced by the helper that owns the dispatch slice."""
