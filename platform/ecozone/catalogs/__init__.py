"""Traceability standard catalogs (DESIGN §3.5, 办法 第四条(五)): indicators, schema, codes."""
