"""Talent and training (DESIGN §3.4): programmes, sessions, enrolment, certificates."""
