"""Trace services called by the API, the NDJSON endpoint and the CLI (one audit row per ingest)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterable
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from ecozone.audit.service import record
from ecozone.authz.actor import Actor
from ecozone.errors import FieldError, raise_if_invalid
from ecozone.trace import rules
from ecozone.trace.ingest import IngestReport, ingest


async def submit(session: AsyncSession, actor: Actor, *, records: list[Any]) -> IngestReport:
    """A small batch through GraphQL (at most rules.MAX_RECORDS_PER_MUTATION)."""
    raise_if_invalid([] if len(records) <= rules.MAX_RECORDS_PER_MUTATION else [FieldError(
        "records", "too_many", f"at most {rules.MAX_RECORDS_PER_MUTATION} records per request: send larger "
        "files to POST /trace/records as NDJSON",
        f"每次最多 {rules.MAX_RECORDS_PER_MUTATION} 条记录；更大的文件请以 NDJSON 提交到 POST /trace/records")])
    return await submit_stream(session, actor, enumerate(records, 1), via="graphql")


async def submit_stream(session: AsyncSession, actor: Actor,
                        lines: AsyncIterator[tuple[int, Any]] | Iterable[tuple[int, Any]], *, via: str,
                        progress: Callable[[int, IngestReport], None] | None = None) -> IngestReport:
    report = await ingest(session, actor, lines, progress)
    await record(session, actor, action="trace_record.submit", object_type="trace_ingest", object_id=via,
                 after={"accepted": report.accepted, "unchanged": report.unchanged,
                        "rejected": report.rejected_count})
    return report
