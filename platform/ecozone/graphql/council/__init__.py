"""The council's GraphQL beyond meetings and member units (章程; issue 17): tasks carried out from
resolutions and yearly ratings of member units."""
