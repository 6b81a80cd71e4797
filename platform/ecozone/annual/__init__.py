"""The base's year: the annual work plan and the work and financial reports (办法 第六条(二)(三))."""
