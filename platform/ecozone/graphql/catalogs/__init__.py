"""GraphQL of the traceability catalogs: versions with their indicators, encoding and interface
rules; checks of codes and records against them."""
