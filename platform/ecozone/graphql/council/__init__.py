"""The council's GraphQL (章程): meetings (meetings.py, meetings_types.py, meetings_results.py), member
units and officers (units.py, units_types.py), and the parts of issue 17 gathered in schema.py: tasks
carried out from resolutions and yearly ratings of member units, the rulebook, committee and oversight."""
