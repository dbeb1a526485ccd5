import copy

from django import forms
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _


class LoginForm(forms.Form):
    username = forms.CharField(
        label=_("Användarnamn"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Lösenord"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class TokenForm(forms.Form):
    code = forms.RegexField(
        label=_("Engångskod"),
        regex=r"^\s*\d{6}\s*$",
        help_text=_("Sex siffror från autentiseringsappen i din telefon."),
        error_messages={"invalid": _("Koden ska vara sex siffror.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_code(self):
        return self.cleaned_data["code"].strip()


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Namn på nyckeln"),
        max_length=100,
        help_text=_("Vad nyckeln används till, t.ex. ”Rapportskript”."),
    )
    days = forms.IntegerField(
        label=_("Giltig i dagar"),
        min_value=1,
        help_text=_("Högst %(days)s dagar."),
    )

    def __init__(self, *args, longest: int, **kwargs):
        super().__init__(*args, **kwargs)
        days = self.fields["days"]
        days.initial = longest
        days.help_text = days.help_text % {"days": longest}
        days.validators.append(MaxValueValidator(longest))
        days.widget.attrs.update({"min": 1, "max": longest})


class ApiTokenRevokeForm(forms.Form):
    ref = forms.UUIDField(widget=forms.HiddenInput)


class ConfirmForm(forms.Form):
    """Prove who you are again: the password, and the code when the user has a device."""

    password = forms.CharField(
        label=_("Lösenord"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )

    def __init__(self, *args, with_code: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if with_code:
            self.fields["code"] = copy.deepcopy(TokenForm.base_fields["code"])
            self.fields["code"].widget.attrs.pop("autofocus", None)

    def clean_code(self):
        return self.cleaned_data["code"].strip()
