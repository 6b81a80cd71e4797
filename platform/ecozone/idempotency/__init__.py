"""Retries that never double a write: the ``Idempotency-Key`` header of mutations."""
