"""Supplier invoices, the three-way match, payments and AP aging."""
