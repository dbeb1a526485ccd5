from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from kinsight.assessment import api as assessment_api
from kinsight.audit import api as audit_api
from kinsight.cases import api as cases_api
from kinsight.core import api as core_api
from kinsight.detection import api as detection_api
from kinsight.dpo import api as dpo_api
from kinsight.family import api as family_api
from kinsight.followup import api as followup_api
from kinsight.followup import api_annual, api_figures, api_october
from kinsight.groups import api as groups_api
from kinsight.imports import api as imports_api
from kinsight.interventions import api as interventions_api
from kinsight.network import api as network_api
from kinsight.people import api as people_api
from kinsight.people.emergency import api as emergency_api
from kinsight.regions import api as regions_api
from kinsight.retention import api as retention_api
from kinsight.sso import api as sso_api
from kinsight.ui import metrics as ui_metrics
from kinsight.ui import views as ui_views

# Swagger UI sets inline styles; allow them on this page only (scripts stay 'self').
api_docs = csp_update({"style-src": [UNSAFE_INLINE]})(
    SpectacularSwaggerSplitView.as_view(url_name="api-schema")
)

router = DefaultRouter()
router.register("org-units", core_api.OrgUnitViewSet, basename="orgunit")
router.register("staff", core_api.StaffViewSet, basename="staff")
router.register("memberships", core_api.MembershipViewSet, basename="membership")
router.register("persons", people_api.PersonViewSet, basename="person")
router.register("relationships", people_api.RelationshipViewSet, basename="relationship")
router.register(
    "emergency-access", emergency_api.EmergencyAccessViewSet, basename="emergencyaccess"
)
router.register("cases", cases_api.CaseViewSet, basename="case")
router.register("notes", cases_api.NoteViewSet, basename="note")
router.register("minimum-level", followup_api.MinimumLevelViewSet, basename="minimum-level")
router.register("followup/figures", api_figures.FiguresViewSet, basename="followup-figures")
router.register("followup/october", api_october.OctoberViewSet, basename="followup-october")
router.register(
    "followup/annual-reports", api_annual.AnnualReportViewSet, basename="followup-annual-report"
)
router.register("child-questions", detection_api.ChildQuestionViewSet, basename="childquestion")
router.register("child-records", detection_api.ChildRecordViewSet, basename="childrecord")
router.register("child-steps", detection_api.ChildRecordStepViewSet, basename="childrecordstep")
router.register("child-flags", detection_api.ChildFlagViewSet, basename="childflag")
router.register("concern-reports", detection_api.ConcernReportViewSet, basename="concernreport")
router.register("family-work", family_api.FamilyWorkViewSet, basename="familywork")
router.register("family-participants", family_api.ParticipantViewSet, basename="participant")
router.register("family-members", family_api.FamilyMemberViewSet, basename="familymember")
router.register("family-linked-cases", family_api.LinkedCaseViewSet, basename="linkedcase")
router.register("consents", family_api.ConsentViewSet, basename="consent")
router.register("family-meetings", family_api.FamilyMeetingViewSet, basename="familymeeting")
router.register("family-meeting-notes", family_api.MeetingNoteViewSet, basename="meetingnote")
router.register("follow-up-tasks", family_api.FollowUpTaskViewSet, basename="followuptask")
router.register("assessments", assessment_api.AssessmentViewSet, basename="assessment")
router.register("assessment-parts", assessment_api.AssessmentPartViewSet, basename="assessmentpart")
router.register(
    "instrument-results", assessment_api.InstrumentResultViewSet, basename="instrumentresult"
)
router.register("instruments", assessment_api.InstrumentViewSet, basename="instrument")
router.register(
    "protective-factors", assessment_api.ProtectiveFactorViewSet, basename="protectivefactor"
)
router.register("interventions", interventions_api.InterventionViewSet, basename="intervention")
router.register("plans", interventions_api.FamilyPlanViewSet, basename="familyplan")
router.register(
    "plan-interventions", interventions_api.PlanInterventionViewSet, basename="planintervention"
)
router.register("referrals", interventions_api.ReferralViewSet, basename="referral")
router.register("placements", interventions_api.PlacementViewSet, basename="placement")
router.register("contact-events", interventions_api.ContactEventViewSet, basename="contactevent")
router.register("register-extracts", dpo_api.ExtractRequestViewSet, basename="extractrequest")
# Support groups (kinsight.groups.api).
for prefix, viewset, basename in [
    ("group-providers", groups_api.ProviderViewSet, "provider"),
    ("group-grants", groups_api.ProviderGrantViewSet, "providergrant"),
    ("group-programmes", groups_api.ProgrammeViewSet, "programme"),
    ("group-leader-trainings", groups_api.LeaderTrainingViewSet, "leadertraining"),
    ("group-cycles", groups_api.CycleViewSet, "cycle"),
    ("group-sessions", groups_api.SessionViewSet, "session"),
    ("group-participants", groups_api.GroupParticipantViewSet, "groupparticipant"),
    ("group-attendance", groups_api.AttendanceViewSet, "attendance"),
    ("group-measurements", groups_api.MeasurementViewSet, "measurement"),
    ("group-measurement-codes", groups_api.MeasurementCodeViewSet, "measurementcode"),
    ("group-talks", groups_api.IndividualTalkViewSet, "individualtalk"),
    ("group-cycle-notes", groups_api.CycleNoteViewSet, "cyclenote"),
    ("group-effect", groups_api.EffectViewSet, "group-effect"),
    ("group-reach", groups_api.ReachViewSet, "group-reach"),
    ("group-applications", groups_api.GroupApplicationViewSet, "groupapplication"),
    ("group-settings", groups_api.GroupSettingsViewSet, "group-settings"),
]:
    router.register(prefix, viewset, basename=basename)
# The apps that keep their routes in a list of their own.
for routes in (
    audit_api.ROUTES,
    imports_api.ROUTES,
    network_api.ROUTES,
    regions_api.ROUTES,
    retention_api.ROUTES,
    sso_api.ROUTES,
):
    for prefix, viewset, basename in routes:
        router.register(prefix, viewset, basename=basename)

ui_patterns = (
    [path("", ui_views.home, name="home")],
    "ui",
)

urlpatterns = [
    path("", include(ui_patterns)),
    path("healthz", ui_views.healthz, name="healthz"),
    path("metrics", ui_metrics.metrics, name="metrics"),
    path("tillganglighet/", ui_views.accessibility, name="accessibility"),
    path("konto/", include("kinsight.accounts.urls")),
    path("", include("kinsight.core.urls")),
    path("", include("kinsight.audit.urls")),
    path("", include("kinsight.people.urls")),
    path("", include("kinsight.cases.urls")),
    path("", include("kinsight.followup.urls")),
    path("", include("kinsight.detection.urls")),
    path("", include("kinsight.interventions.urls")),
    path("", include("kinsight.family.urls")),
    path("", include("kinsight.assessment.urls")),
    path("", include("kinsight.groups.urls")),
    path("", include("kinsight.dpo.urls")),
    path("", include("kinsight.retention.urls")),
    path("", include("kinsight.imports.urls")),
    path("", include("kinsight.regions.urls")),
    path("", include("kinsight.network.urls")),
    path("", include("kinsight.sso.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include(router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", api_docs, name="api-docs"),
]

handler400 = "kinsight.ui.views.bad_request"
handler403 = "kinsight.ui.views.permission_denied"
handler404 = "kinsight.ui.views.not_found"
handler500 = "kinsight.ui.views.server_error"
