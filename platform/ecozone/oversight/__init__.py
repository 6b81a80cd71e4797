"""Oversight of the council (章程 第二十四至二十六条): the supervisor's read-only view (a role in the policy),
the yearly performance evaluation of officers with its outcome (第二十五条), third-party evaluations with
their findings and the council meeting where they were reported (第二十六条)."""
