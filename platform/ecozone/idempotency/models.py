"""A mutation's first answer, kept under the key its client sent (``Idempotency-Key``).

Not zone-private: a key belongs to the user who sent it, whatever zone they acted in. The row
is written in the mutation's own transaction, so a mutation rolled back leaves no answer.
Times are Unix seconds (UTC), compared the same way on both engines.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ecozone.db.base import Base


class IdempotencyKey(Base):
    __tablename__ = "idempotency_keys"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(String(255), primary_key=True)
    # sha-256 of the request: document, variables, operation name (each of a batch) and X-Zone
    fingerprint: Mapped[str] = mapped_column(String(64))
    status: Mapped[int] = mapped_column(Integer)
    body: Mapped[str] = mapped_column(Text)  # the JSON answered the first time
    stored_at: Mapped[int] = mapped_column(BigInteger, index=True)
