"""Break the glass (nödåtkomst): a case worker's read-only sight of one person outside
their normal access, for a limited time, every read audited as emergency access, each
access reviewed by a log reviewer afterwards (docs/permissions.md, "Break the glass")."""
