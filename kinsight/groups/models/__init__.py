"""Support groups (stödgrupper): programmes and their providers, cycles with sessions,
participants and attendance, and measurements for the effect evaluation."""

from kinsight.groups.models.cycles import (
    TAKING_PLACE,
    AgeBand,
    Attendance,
    Cycle,
    CycleLeader,
    CycleNote,
    GroupParticipant,
    IndividualTalk,
    Intake,
    ParticipantStatus,
    Presence,
    Session,
)
from kinsight.groups.models.intake import ApplicationStatus, GroupApplication, GroupSettings
from kinsight.groups.models.measurements import Measurement, MeasurementCode
from kinsight.groups.models.programmes import (
    LeaderTraining,
    Point,
    ProblemArea,
    Programme,
    ProgrammeMeasure,
    Provider,
    ProviderGrant,
    TargetGroup,
)

__all__ = [
    "AgeBand",
    "ApplicationStatus",
    "CycleNote",
    "GroupApplication",
    "GroupSettings",
    "Attendance",
    "Cycle",
    "CycleLeader",
    "Intake",
    "LeaderTraining",
    "Measurement",
    "MeasurementCode",
    "GroupParticipant",
    "IndividualTalk",
    "ParticipantStatus",
    "TAKING_PLACE",
    "Point",
    "Presence",
    "ProblemArea",
    "Programme",
    "ProgrammeMeasure",
    "Provider",
    "ProviderGrant",
    "Session",
    "TargetGroup",
]
