"""Joint meetings of the four zones (办法 第四条(一)(八)): series, invitations, attendance,
materials, minutes with decisions and follow-up items, iCalendar feeds."""
