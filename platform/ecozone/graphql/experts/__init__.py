"""GraphQL of the expert registry: profiles, verification, conflicts, search."""
