"""The network's forms: a meeting (plan, change), its minutes, a member's attendance, a
shared file, a question and its answer; an inventory, an answer, a course."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kinsight.core.models import Municipality, User
from kinsight.network.models import Meeting

DATE = forms.DateInput(attrs={"type": "date"})
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class MeetingForm(forms.ModelForm):
    link = forms.URLField(label=_("Länk till mötet"), required=False, assume_scheme="https")

    class Meta:
        model = Meeting
        fields = ["title", "day", "starts_at", "ends_at", "place", "link", "agenda"]
        widgets = {"day": DATE, "starts_at": TIME, "ends_at": TIME}
        help_texts = {"place": _("En plats, en länk eller båda.")}


class MinutesForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["minutes", "minutes_writer"]
        labels = {"minutes_writer": _("Antecknade av (namn)")}


class AttendanceForm(forms.Form):
    municipality = forms.ModelChoiceField(label=_("Kommun"), queryset=Municipality.objects.none())
    attendees = forms.CharField(
        label=_("Deltagare"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Namnen på dem som deltog från kommunen, ett per rad."),
    )

    def __init__(self, *args: Any, invited: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["municipality"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Municipality.objects.filter(pk__in=invited)


class FileForm(forms.Form):
    file = forms.FileField(label=_("Fil"), help_text=_("PDF, PPTX, ODP, DOCX eller XLSX."))


class QuestionForm(forms.Form):
    text = forms.CharField(label=_("Fråga"), widget=forms.Textarea(attrs={"rows": 3}))


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Svar"), widget=forms.Textarea(attrs={"rows": 3}))


class InventoryForm(forms.Form):
    year = forms.IntegerField(label=_("År"), min_value=2000, max_value=2100)
    deadline = forms.DateField(label=_("Sista svarsdag"), widget=DATE)
    extra_areas = forms.CharField(
        label=_("Fler områden"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Missbruk, ekonomiskt bistånd och barn och unga finns alltid med. Fler "
            "områden skrivs ett per rad."
        ),
    )


class AreaChoice(forms.Form):
    area = forms.ChoiceField(label=_("Område"))

    def __init__(self, *args: Any, areas: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["area"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(area, area) for area in areas]


class InventoryAnswerForm(AreaChoice):
    needs = forms.CharField(label=_("Behov"), widget=forms.Textarea(attrs={"rows": 3}))
    staff_count = forms.IntegerField(label=_("Antal medarbetare"), min_value=0)
    suggestions = forms.CharField(
        label=_("Förslag på utbildningar och utbildare"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CourseForm(AreaChoice):
    title = forms.CharField(label=_("Kurs"), max_length=200)
    starts_on = forms.DateField(label=_("Första dag"), widget=DATE)
    ends_on = forms.DateField(label=_("Sista dag"), widget=DATE)
    capacity = forms.IntegerField(label=_("Antal platser"), min_value=1)
    minimum = forms.IntegerField(label=_("Minsta antal deltagare"), min_value=1)
    cost = forms.DecimalField(label=_("Kostnad (kr)"), min_value=0, decimal_places=2)
    decision_on = forms.DateField(
        label=_("Beslutsdag"),
        widget=DATE,
        help_text=_("Dagen då det avgörs om kursen blir av."),
    )
    with_neighbour = forms.BooleanField(label=_("Grannförbund deltar"), required=False)
    leader_training = forms.BooleanField(
        label=_("Stödgruppsledarutbildning"),
        required=False,
        help_text=_("Den som deltar förs in i sin kommuns gruppledarregister."),
    )


class StaffChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.get_full_name() or obj.username


class EnrolForm(forms.Form):
    participant = StaffChoice(label=_("Medarbetare"), queryset=User.objects.none())

    def __init__(self, *args: Any, staff: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["participant"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = staff


class AttendedForm(forms.Form):
    attended = forms.TypedChoiceField(
        label=_("Deltog"),
        choices=[("yes", _("Deltog")), ("no", _("Deltog inte"))],
        coerce=lambda value: value == "yes",
    )
