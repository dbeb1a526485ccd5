"""Writes of the support groups, one module per sub-domain: the catalogue (providers,
grants, programmes, the leader register), cycles (sessions, participants, attendance)
and measurements (by a leader, or by the participant with a one-time code)."""

from kinsight.groups.services.catalogue import (
    PROGRAMME_FIELDS,
    PROVIDER_FIELDS,
    grant_set,
    leader_training_add,
    programme_create,
    programme_measure_add,
    programme_update,
    provider_create,
    provider_update,
)
from kinsight.groups.services.consent import participant_consent
from kinsight.groups.services.cycles import (
    attendance_record,
    cycle_create,
    cycle_update,
    individual_talk_add,
    participant_add,
    participant_drop,
    participant_finish,
    participant_start,
    session_add,
)
from kinsight.groups.services.measurements import (
    code_answer,
    code_issue,
    measurement_record,
)
from kinsight.groups.services.notes import (
    cycle_note_create,
    cycle_note_discard,
    cycle_note_save,
    cycle_note_sign,
)
from kinsight.groups.services.offers import open_cycles, participant_offer

__all__ = [
    "PROGRAMME_FIELDS",
    "PROVIDER_FIELDS",
    "attendance_record",
    "code_answer",
    "code_issue",
    "cycle_create",
    "cycle_update",
    "cycle_note_create",
    "cycle_note_discard",
    "cycle_note_save",
    "cycle_note_sign",
    "individual_talk_add",
    "grant_set",
    "leader_training_add",
    "measurement_record",
    "open_cycles",
    "participant_add",
    "participant_consent",
    "participant_drop",
    "participant_finish",
    "participant_offer",
    "participant_start",
    "programme_create",
    "programme_measure_add",
    "programme_update",
    "provider_create",
    "provider_update",
    "session_add",
]
