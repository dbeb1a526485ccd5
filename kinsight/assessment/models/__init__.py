"""Joint assessment by perspective (PRODUCT.md §3, issue 6).

- Assessment: one per family work; the frame the units' parts hang in.
- AssessmentPart: one per (perspective, unit). A perspective is one of
  ``FamilyWork.perspectives()`` and is stored by its stable key (``child:12``,
  ``parent:7``, ``parent_child:7:12``, ``couple``, ``family``) with the persons it is
  about (``person`` and ``other_person``), so the consent rules can be written as
  queries (kinsight/assessment/access.py). Each participating unit writes its own part:
  needs, risk factors, protective factors (from the ProtectiveFactor catalogue), the
  family's own view, the child's own words and free text.
- ProtectiveFactor: the configurable catalogue, seeded from seed 001's list. Rows
  without a municipality ship with Kinsight; a municipality's administrators add their
  own.
- Instruments as data: Instrument, InstrumentItem, AnswerOption (with its score) and
  Cutoff (a labelled score range, optionally per sex). AUDIT and DUDIT ship with their
  items (in Swedish, in our own words). Licensed instruments (ASI, SDQ, BBIC areas) are
  configured by the customer as score-only instruments: items are areas with a score
  range and no text (``is_licensed_text_included`` False), so Kinsight ships none of
  their copyrighted text.
- InstrumentResult: one filled-in instrument on a part, with the answers, the total
  score and the cut-off label it fell in.
"""

from kinsight.assessment.models.instruments import (  # noqa: F401
    AnswerOption,
    Cutoff,
    CutoffSex,
    Instrument,
    InstrumentItem,
    InstrumentResult,
)
from kinsight.assessment.models.parts import (  # noqa: F401
    Assessment,
    AssessmentPart,
    FactorTarget,
    ProtectiveFactor,
)
