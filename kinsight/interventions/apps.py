from django.apps import AppConfig


def _register_audit_kinds():
    from kinsight.audit.registry import register, titled
    from kinsight.interventions import models as m

    plan = ("plan__family_work__members__person",)
    register(m.Intervention, label=lambda i: titled(i, i.name))
    register(
        m.FamilyPlan,
        persons=("family_work__members__person",),
        related=("family_work",),
        label=lambda p: titled(p, p.family_work.title),
    )
    for model in (m.PlanRevision, m.PlanGoal):
        register(
            model,
            persons=plan,
            related=("plan__family_work",),
            label=lambda o: titled(o, o.plan.family_work.title),
        )
    register(
        m.PlanIntervention,
        persons=plan,
        related=("plan__family_work", "intervention"),
        label=lambda p: titled(p, f"{p.intervention} ({p.plan.family_work.title})"),
    )
    register(m.PlanFollowUp, persons=("plan_intervention__" + plan[0],))
    register(
        m.Referral,
        persons=("person",),
        related=("person",),
        label=lambda r: titled(r, r.person.full_name),
    )
    register(m.ReferralStep, persons=("referral__person",))
    register(
        m.Placement,
        persons=("child",),
        related=("child",),
        label=lambda p: titled(p, p.child.full_name),
    )
    register(
        m.ContactPlan,
        persons=("parent", "placement__child"),
        related=("parent",),
        label=lambda c: titled(c, c.parent.full_name),
    )
    register(m.ContactEvent, persons=("contact_plan__parent", "contact_plan__placement__child"))


class Config(AppConfig):
    name = "kinsight.interventions"
    verbose_name = "Insatser"

    def ready(self):
        _register_audit_kinds()
