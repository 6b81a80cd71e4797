"""The traceability platform's part of the schema."""

from ecozone.graphql.trace.resolvers import TraceMutation, TraceQuery

__all__ = ["TraceMutation", "TraceQuery"]
