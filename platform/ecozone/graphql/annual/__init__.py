"""GraphQL of the annual work plan and the annual reports (办法 第六条(二)(三))."""
