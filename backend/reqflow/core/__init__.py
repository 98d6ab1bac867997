"""Shared building blocks: models, envelope, pagination, RBAC, idempotency, numbering, money."""
