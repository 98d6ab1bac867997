"""Storage locations, goods receipts, the stock ledger and inventory search."""
