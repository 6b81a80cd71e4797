"""News and announcements of the zones' offices, and the public Atom feeds (章程 第三十一条)."""
