"""The base's funds (办法 第十三至十五条): income by source, spending by business area, budgets."""
