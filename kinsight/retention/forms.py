"""The retention pages' forms: a rule's values, a rejection's reason, an approval (its
version only), a legal hold and an archive mark (the person by personnummer)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kinsight.core.forms import VersionedForm, VersionForm
from kinsight.retention.models import RetentionRule, Trigger


class RuleForm(VersionedForm):
    class Meta:
        model = RetentionRule
        fields = ["years", "birth_days", "applies_from", "legal_reference", "active"]
        widgets = {
            "applies_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "legal_reference": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        trigger = self.instance.trigger
        if trigger not in (Trigger.LAST_ENTRY, Trigger.AGE):
            del self.fields["years"]
        if trigger != Trigger.BIRTH_DAY:
            del self.fields["birth_days"]
        if trigger != Trigger.AGE:
            del self.fields["applies_from"]


class RejectForm(VersionForm):
    reason = forms.CharField(
        label=_("Skäl för avslag"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class PersonForm(forms.Form):
    """A person of the municipality named by personnummer (the administrator does not
    search the register: the number comes with the request for the hold or mark)."""

    identifier = forms.CharField(label=_("Personnummer"), max_length=13)
    reason = forms.CharField(label=_("Skäl"), widget=forms.Textarea(attrs={"rows": 2}))


class HoldForm(PersonForm):
    until = forms.DateField(
        label=_("Till och med (tomt: tills vidare)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
