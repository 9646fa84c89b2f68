"""Isolation registry: the region area's announcements (the forms catalogue's id route is in
routes/monitoring/config.py)."""
