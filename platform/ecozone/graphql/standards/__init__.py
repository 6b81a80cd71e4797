"""GraphQL of the standard-release workflow (标准发布)."""
