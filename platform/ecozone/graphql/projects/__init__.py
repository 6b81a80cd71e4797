"""GraphQL of innovation projects: proposal, lifecycle, public notice and joining, working group."""
