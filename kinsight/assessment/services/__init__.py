"""Writes of the joint assessment, by sub-domain: the assessment, its parts and the
protective-factor catalogue (parts.py); instruments and their results (instruments.py).
Callers import this package (``from kinsight.assessment import services``)."""

from kinsight.assessment.services.instruments import (  # noqa: F401
    instrument_configure,
    instrument_result_record,
    instrument_score,
    items_total,
)
from kinsight.assessment.services.parts import (  # noqa: F401
    PART_FIELDS,
    assessment_start,
    part_save,
    perspective_get,
    protective_factor_add,
    protective_factor_set_active,
)
