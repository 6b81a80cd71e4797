"""GraphQL of consultation (征求意见): consultations, comments, consulted documents, the comment summary."""
