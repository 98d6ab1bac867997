"""Purchase orders, the sourcing queue, RFQs and quotes (SPEC §2.4, §2.7)."""
