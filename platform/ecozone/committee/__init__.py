"""The expert committee (办法 第九条; 章程 第九条(五) “成立专家委员会，聘任或解聘专家组成员”): members
appointed and dismissed by the council's passed motions from the registry's verified experts, for a
term; the committee's opinions recorded against standards or projects."""
