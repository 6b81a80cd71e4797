"""The base's public portal (门户网站, issue 15): server-rendered pages for people who will never
write GraphQL, built on the API exactly as a partner province's front-end would be.

Every page's data comes from a GraphQL document kept as a file in ``documents/`` and run through
the same path as an anonymous ``GET /graphql`` (``GraphQLHTTP.run_document``): validation, limits,
fair use, scope and permissions. The portal has no read path of its own to the database.
"""

from ecozone.portal.routes import Portal

__all__ = ["Portal"]
