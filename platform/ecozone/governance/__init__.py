"""Council governance (章程): member units, officers, meetings, quorum, resolutions."""
