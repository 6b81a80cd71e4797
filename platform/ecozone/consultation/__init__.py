"""Consultation (征求意见): comments on a draft, their handling decisions, the summary table.

One component for every subject that is put out for comments: standards at stage 30
(issue 4) and the base's own documents (issue 5). Subjects plug in through
``ecozone.consultation.subjects.register_subject``; the "document" subject is registered here.
"""

from ecozone.consultation import documents  # noqa: F401 - registers the "document" subject
