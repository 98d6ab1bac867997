"""The append-only audit log: written in the transaction of every recorded event."""
