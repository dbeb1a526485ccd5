"""What a population register answers about one person, and the one interface every
register (the fake, Navet) implements."""

import datetime
import enum
from dataclasses import dataclass, field
from typing import Protocol


class RelationRole(enum.StrEnum):
    """The other person's role, as seen from the person looked up."""

    PARENT = "parent"  # the other is the person's parent
    GUARDIAN = "guardian"  # the other is the person's guardian (vårdnadshavare)
    CHILD = "child"  # the other is the person's child
    IN_CUSTODY = "in_custody"  # the person is the other's guardian


@dataclass(frozen=True)
class RegisterRelation:
    role: RelationRole
    identifier: str  # 12 digits
    first_name: str = ""
    last_name: str = ""
    protected: bool = False

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


@dataclass(frozen=True)
class RegisterRecord:
    """One person in the register. ``found`` False: the register does not know the
    number (every other field empty)."""

    identifier: str
    found: bool = True
    first_name: str = ""
    last_name: str = ""
    street_address: str = ""
    postal_code: str = ""
    city: str = ""
    # Sekretessmarkering or skyddad folkbokföring: Kinsight's protected identity.
    protected: bool = False
    deceased_on: datetime.date | None = None
    relations: tuple[RegisterRelation, ...] = field(default_factory=tuple)


class RegisterError(Exception):
    """The register could not answer (unreachable, refused, timed out, an answer that
    cannot be read). ``reason`` is for the operator and never holds personal data;
    the user sees a fixed Swedish message."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class PopulationRegister(Protocol):
    name: str

    def lookup(self, personnummer: str, *, municipality_id: int | None = None) -> RegisterRecord:
        """The register's record for a 12-digit personnummer or samordningsnummer;
        raises RegisterError when the register cannot answer. ``municipality_id`` is the
        asking municipality: a real register answers all alike, the demo's fake answers
        from what that municipality has recorded (never from another's)."""
        ...
