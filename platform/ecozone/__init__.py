"""ecozone — the multi-tenant GraphQL platform of the National Technical Standard
Innovation Base (Jiangxi Green Ecology) and its partner pilot zones."""

__version__ = "0.1.0"
