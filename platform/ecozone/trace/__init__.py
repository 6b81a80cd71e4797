"""The traceability information platform (办法 第四条(五)): enterprises, trace records stored
against a catalog version, public lookup by code, recall and origin, EPCIS 2.0 export."""
