"""GraphQL of news and announcements (章程 第三十一条): types, Query and Mutation."""
