"""Which tables split by municipality, and a check that keeps them splittable.

A country-scale deployment can distribute the tables by municipality on Citus (docs/
architecture.md, "Beyond one machine"). That works only if every table with municipal
data carries ``municipality`` (the distribution column), every uniqueness includes it,
and a tenant table points only at tenant tables (colocated) or at reference tables
(replicated to every node). The lists below name every exception, each with its
reason; ``schema_violations`` reads the models and names what breaks the rules, and
``tests/core/test_tenancy_schema.py`` fails on any of it. The docs section names every
entry of these lists (the test checks that too).
"""

from django.apps import apps as global_apps
from django.db.models import F, UniqueConstraint

TENANT_FIELD = "municipality"
TENANT_MODEL = "core.Municipality"
WHERE = 'kinsight/core/tenancy.py, with a reason in docs/architecture.md ("Beyond one machine")'

# Replicated to every node (Citus reference tables): catalogues the same for every
# municipality, and what is needed before a municipality is known. Tenant tables may
# point at them; they may point only at each other.
REFERENCE_TABLES = {
    "core.Municipality": "the tenants themselves; every municipality_id points here",
    "core.User": "staff sign in by a username unique in the whole country before their "
    "municipality is known, technical accounts have none, and tenant tables point at "
    "staff (responsible, created_by), which Citus allows only towards a reference table",
    "core.User_groups": "Django's link table of core.User and auth.Group (unused, empty)",
    "core.User_user_permissions": "Django's link table of core.User and auth.Permission",
    "cases.LegalReference": "the law, the same for every municipality",
    "detection.DeadlineRule": "statutory clocks, the same for every municipality",
    "assessment.Instrument": "one small catalogue of shipped instruments (no municipality) "
    "and a municipality's own",
    "assessment.InstrumentItem": "part of an instrument",
    "assessment.AnswerOption": "part of an instrument",
    "assessment.Cutoff": "part of an instrument",
    "assessment.ProtectiveFactor": "one small catalogue of shipped factors (no "
    "municipality) and a municipality's own",
    "auth.Group": "Django's catalogue, the same everywhere (unused)",
    "auth.Group_permissions": "Django's catalogue, the same everywhere (unused)",
    "auth.Permission": "Django's catalogue, the same everywhere",
    "contenttypes.ContentType": "Django's catalogue of models, the same everywhere",
    "regions.Region": "the regional network sits above municipalities and holds no personal data",
    "regions.Member": "which municipalities belong to a region: read across municipalities",
    "regions.RegionStaff": "the region's own staff (the network leader), who have no municipality",
    "network.Meeting": "the region's own network meetings: no municipality, no personal data",
    "network.MeetingFile": "material shared at a region's meeting (presentations)",
    "network.Inventory": "the region's competence-needs inventory (areas and deadline)",
    "network.Course": "a course of the region's training offer",
}

# Kept on the coordinator only (Citus local tables): read before any municipality is
# known, never joined with tenant data. They may point at reference tables.
COORDINATOR_TABLES = {
    "sessions.Session": "found by the session cookie before the user is known",
    "accounts.ApiToken": "found by the API token before the user is known",
    "otp_totp.TOTPDevice": "the second sign-in step, before a session exists",
    "axes.AccessAttempt": "sign-in throttling by username and address",
    "axes.AccessAttemptExpiration": "sign-in throttling by username and address",
    "axes.AccessFailureLog": "sign-in throttling by username and address",
    "axes.AccessLog": "sign-in throttling by username and address",
    "admin.LogEntry": "Django's admin log; the admin is not routed, the table stays empty",
    "django_tasks_database.DBTaskResult": "the background task queue, claimed by the "
    "worker before any municipality is known; a task names its row by id",
}

# Tables with municipal data that cannot be distributed yet: gaps to close before a
# Citus migration (docs/architecture.md, "Beyond one machine", "Gaps").
TENANT_TABLES_WITHOUT_MUNICIPALITY = {
    "assessment.AssessmentPart_protective_factors": "Django's automatic many-to-many "
    "table has no municipality_id: needs an explicit through model with municipality",
}

# Uniqueness on a tenant table without municipality. Each holds within one municipality
# by construction (its first column is a tenant row, or an id no other municipality
# has), so a Citus migration prepends municipality_id without changing what it allows.
# Key: (table, constraint name, or field name for unique=True / a OneToOneField).
_PARENT = "scoped by a tenant row ({}): unique within one municipality by construction"
UNIQUE_WITHOUT_MUNICIPALITY = {
    ("core.Membership", "membership_unique"): _PARENT.format("user, unit"),
    ("audit.AuditSubject", "audit_subject_once"): _PARENT.format("entry"),
    ("people.PersonGrant", "grant_one_per_case"): _PARENT.format("case_id, a case's id"),
    ("people.PersonGrant", "grant_one_registration"): _PARENT.format("unit, person"),
    ("people.PersonGrant", "grant_one_per_relationship"): _PARENT.format("unit, person"),
    ("detection.ChildQuestion", "case"): _PARENT.format("case, a OneToOneField"),
    ("detection.ChildRecord", "childrecord_unique_case_child"): _PARENT.format("case"),
    ("detection.ChildFlag", "childflag_one_open_per_kind"): _PARENT.format("record"),
    ("followup.MinimumLevelMonth", "minlevel_unique_unit_month"): _PARENT.format("unit"),
    ("family.FamilyMember", "familymember_unique_person"): _PARENT.format("family_work"),
    ("family.FamilyMember", "familymember_one_parent_per_role"): _PARENT.format("family_work"),
    ("family.Participant", "participant_unique_unit"): _PARENT.format("family_work"),
    ("family.Participant", "participant_one_coordinator"): _PARENT.format("family_work"),
    ("family.LinkedCase", "linkedcase_unique"): _PARENT.format("family_work"),
    ("family.ConsentUnit", "consentunit_unique"): _PARENT.format("consent"),
    ("interventions.FamilyPlan", "family_work"): _PARENT.format("a OneToOneField"),
    ("interventions.PlanRevision", "planrevision_unique"): _PARENT.format("plan"),
    ("interventions.ContactPlan", "contactplan_unique"): _PARENT.format("placement"),
    ("assessment.Assessment", "family_work"): _PARENT.format("a OneToOneField"),
    ("assessment.AssessmentPart", "assessmentpart_unique"): _PARENT.format("assessment"),
}


def kind_of(model):
    """'reference', 'coordinator', 'gap', 'tenant', or None (unclassified)."""
    label = model._meta.label
    if label in REFERENCE_TABLES:
        return "reference"
    if label in COORDINATOR_TABLES:
        return "coordinator"
    if label in TENANT_TABLES_WITHOUT_MUNICIPALITY:
        return "gap"
    if _tenant_field(model) is not None:
        return "tenant"
    return None


def _tenant_field(model):
    for field in model._meta.concrete_fields:
        if field.name == TENANT_FIELD and field.is_relation:
            return field
    return None


def _is_kinsight(model):
    return model._meta.app_config.name.startswith("kinsight.")


def tables(registry=global_apps):
    """Every model that is a table of its own (many-to-many tables included)."""
    return [
        model
        for model in registry.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    ]


def _unclassified(model):
    label = model._meta.label
    if _is_kinsight(model):
        return [
            f"{label} has no {TENANT_FIELD}: every table with municipal data is "
            f"distributed by it. Add {TENANT_FIELD} (derive from "
            "kinsight.core.models.TenantModel), or add the table to REFERENCE_TABLES in "
            f"{WHERE}."
        ]
    return [
        f"{label} (a library's table) is not classified: add it to REFERENCE_TABLES or "
        f"COORDINATOR_TABLES in {WHERE}."
    ]


def _tenant_column(model):
    field = _tenant_field(model)
    problems = []
    if field.related_model._meta.label != TENANT_MODEL:
        problems.append(
            f"{model._meta.label}.{TENANT_FIELD} points at {field.related_model._meta.label}"
            f", not {TENANT_MODEL}: make it a foreign key to {TENANT_MODEL}."
        )
    if field.null:
        problems.append(
            f"{model._meta.label}.{TENANT_FIELD} may be empty, and a distribution column "
            "cannot be NULL: make it required, or add the table to REFERENCE_TABLES in "
            f"{WHERE}."
        )
    return problems


def _expression_fields(expressions):
    names = set()
    for expression in expressions:
        parts = expression.flatten() if hasattr(expression, "flatten") else [expression]
        names |= {part.name for part in parts if isinstance(part, F)}
    return names


def uniques(model):
    """(name, field names) of every uniqueness on the table except its primary key."""
    meta = model._meta
    found = [
        (field.name, {field.name})
        for field in meta.concrete_fields
        if field.unique and not field.primary_key
    ]
    found += [(f"unique_together {tuple(fields)}", set(fields)) for fields in meta.unique_together]
    for constraint in meta.constraints:
        if isinstance(constraint, UniqueConstraint):
            names = set(constraint.fields) | _expression_fields(constraint.expressions)
            found.append((constraint.name, names))
    return found


def _names(model, field_names):
    return {model._meta.get_field(name).name for name in field_names}


def _unique_problems(model):
    label = model._meta.label
    problems = []
    for name, fields in uniques(model):
        if TENANT_FIELD in _names(model, fields) or (label, name) in UNIQUE_WITHOUT_MUNICIPALITY:
            continue
        problems.append(
            f"{label}: the uniqueness {name} ({', '.join(sorted(fields))}) does not include "
            f"{TENANT_FIELD}, and Citus enforces uniqueness only with the distribution "
            f"column in it. Add {TENANT_FIELD} to the constraint, or add the table to "
            f"REFERENCE_TABLES in {WHERE}."
        )
    return problems


# Which kinds of table a table of each kind may point at (Citus: a distributed table
# at a colocated distributed table or a reference table; a reference table only at
# reference tables; a local table at local and reference tables).
MAY_POINT_AT = {
    "tenant": {"tenant", "reference"},
    "reference": {"reference"},
    "coordinator": {"coordinator", "reference"},
}


def _foreign_key_problems(model, kind):
    problems = []
    for field in model._meta.concrete_fields:
        if not (field.is_relation and field.related_model):
            continue
        target_kind = kind_of(field.related_model) or "unclassified"
        if target_kind in MAY_POINT_AT[kind]:
            continue
        problems.append(
            f"{model._meta.label}.{field.name} -> {field.related_model._meta.label}: a "
            f"{kind} table may point only at {' or '.join(sorted(MAY_POINT_AT[kind]))} "
            f"tables, and this one is {target_kind}. Point at a tenant table (both carry "
            f"{TENANT_FIELD}, joined on it) or a reference table; to make the target a "
            f"reference table, add it to REFERENCE_TABLES in {WHERE}."
        )
    return problems


def schema_violations(models=None):
    """Everything in the models that would stop distributing them by municipality,
    each as a sentence that says what to do. Empty when the schema is fine."""
    problems = []
    for model in tables() if models is None else models:
        kind = kind_of(model)
        if kind is None:
            problems += _unclassified(model)
        elif kind == "tenant":
            problems += _tenant_column(model) + _unique_problems(model)
        if kind in MAY_POINT_AT:
            problems += _foreign_key_problems(model, kind)
    return problems


def stale_entries(models=None):
    """Entries of the lists above that no longer match a table or a uniqueness, so the
    lists (and the docs that name them) stay exact."""
    models = tables() if models is None else models
    labels = {model._meta.label for model in models}
    listed = {**REFERENCE_TABLES, **COORDINATOR_TABLES, **TENANT_TABLES_WITHOUT_MUNICIPALITY}
    stale = [label for label in listed if label not in labels]
    needed = {
        (model._meta.label, name)
        for model in models
        if kind_of(model) == "tenant"
        for name, fields in uniques(model)
        if TENANT_FIELD not in _names(model, fields)
    }
    stale += [key for key in UNIQUE_WITHOUT_MUNICIPALITY if key not in needed]
    return stale


def _allowed_columns(model):
    """Column sets of the listed exceptions of one tenant table."""
    return {
        frozenset(model._meta.get_field(field).column for field in fields)
        for name, fields in uniques(model)
        if (model._meta.label, name) in UNIQUE_WITHOUT_MUNICIPALITY
    }


def database_unique_violations(connection, models=None):
    """The same rule as for the models, read from the database itself: a unique index
    of a tenant table made outside the models (RunSQL, a partitioned table) must
    include municipality_id too, or match a listed exception."""
    problems = []
    with connection.cursor() as cursor:
        for model in tables() if models is None else models:
            if kind_of(model) != "tenant":
                continue
            column = _tenant_field(model).column
            allowed = _allowed_columns(model)
            table = model._meta.db_table
            for name, info in connection.introspection.get_constraints(cursor, table).items():
                columns = info["columns"]
                if not info["unique"] or info["primary_key"] or column in columns:
                    continue
                if frozenset(columns) in allowed:
                    continue
                problems.append(
                    f"{table}: the unique index {name} ({', '.join(map(str, columns))}) in "
                    f"the database does not include {column}. Add {TENANT_FIELD} to the "
                    f"constraint, or add the table to REFERENCE_TABLES in {WHERE}."
                )
    return problems
