"""GraphQL of talent and training: programmes, sessions, enrolments, certificates; talent bases,
chief-expert calls and the per-zone talent statistics."""
