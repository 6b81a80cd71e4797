"""Events and venues (办法 第四条(六); 章程 第二十七至二十九条)."""
