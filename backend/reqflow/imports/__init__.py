"""Bulk imports of master data and opening stock from CSV/XLSX (dry run, then commit).

The package sits above catalog, projects, inventory and identity: it writes into all of
them through their models and audit events, and none of them imports it.
"""
