"""Joint local standards and group standards of the base (DESIGN §3.2)."""

from ecozone.standards import consultation_stage  # noqa: F401 - registers the "standard" subject
