"""Suppliers and the item catalog. Never hard deleted: deactivated and kept with their history."""
