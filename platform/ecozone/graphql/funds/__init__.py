"""GraphQL of the base's funds (办法 第十三至十五条)."""
