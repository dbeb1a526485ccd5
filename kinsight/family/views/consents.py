"""Consent pages: record a consent, withdraw one."""

from django.utils.translation import gettext as _

from kinsight.family import forms, queries, services
from kinsight.family.views.common import form_page
from kinsight.ui.forms_flow import call_with
from kinsight.ui.routes import route


@route("familjearenden/<int:pk>/samtycken/nytt/", name="consent_new")
def consent_new(request, pk):
    work = queries.family_work_for_write(actor=request.user, pk=pk, action="view")
    fields = ["person", "purpose", "form", "given_on", "valid_from", "valid_to", "all_units"]
    fields += ["units", "given_by", "child_view", "child_view_text", "note"]
    return form_page(
        request,
        forms.ConsentRecordForm(request.POST or None, family_work=work, user=request.user),
        call_with(services.consent_record, *fields, actor=request.user, family_work=work),
        done=_("Samtycket är registrerat."),
        title=_("Registrera samtycke"),
        back=work.get_absolute_url(),
        intro=_(
            "Samtycket avgör vad de andra enheterna får se om personen. Utan samtycke ser "
            "de bara att familjeärendet finns och vem som samordnar."
        ),
    )


@route("familjearenden/samtycken/<int:consent_pk>/aterkalla/", name="consent_withdraw")
def consent_withdraw(request, consent_pk):
    consent = queries.consent_for_write(actor=request.user, pk=consent_pk)
    return form_page(
        request,
        forms.WithdrawForm(request.POST or None),
        call_with(
            services.consent_withdraw, "reason", "withdrawn_on", actor=request.user, consent=consent
        ),
        done=_("Samtycket är återkallat. Delningen upphörde med en gång."),
        title=_("Återkalla samtycke: %(consent)s") % {"consent": consent},
        back=consent.family_work.get_absolute_url(),
    )
