from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from fascia.accounts.start import NewPractice
from fascia.practices.models import Province

CANADIAN_TIME_ZONES = [
    ("America/St_Johns", _("Newfoundland")),
    ("America/Halifax", _("Atlantic")),
    ("America/Toronto", _("Eastern")),
    ("America/Winnipeg", _("Central")),
    ("America/Regina", _("Saskatchewan")),
    ("America/Edmonton", _("Mountain")),
    ("America/Vancouver", _("Pacific")),
]


class SignInForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("Email"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )

    def clean_username(self) -> str:
        return self.cleaned_data["username"].strip().lower()


class StartPracticeEmailForm(forms.Form):
    email = forms.EmailField(
        label=_("Your email"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("We'll send a link to it: following the link proves the address is yours."),
    )


class StartPracticeForm(forms.Form):
    """The owner and the practice, on the page the emailed link opens."""

    full_name = forms.CharField(
        label=_("Your full name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    password = forms.CharField(
        label=_("Choose a password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 10 characters, not a common password."),
    )
    practice_name = forms.CharField(label=_("Practice name"), max_length=200)
    slug = forms.SlugField(
        label=_("Web address"),
        max_length=50,
        help_text=_("Your booking page will be at /book/<this>/ — lower-case letters, digits, -."),
    )
    province = forms.ChoiceField(label=_("Province"), choices=Province.choices, initial="ON")
    time_zone = forms.ChoiceField(
        label=_("Time zone"), choices=CANADIAN_TIME_ZONES, initial="America/Toronto"
    )
    tax_number = forms.CharField(
        label=_("HST/GST number"),
        max_length=20,
        required=False,
        help_text=_("Only if the practice is registered for GST/HST, e.g. 123456789 RT0001."),
    )
    registration_number = forms.CharField(
        label=_("Your CMTO registration number"),
        max_length=20,
        required=False,
        help_text=_("If you treat clients yourself: you will be the practice's first therapist."),
    )

    def new_practice(self) -> NewPractice:
        data = self.cleaned_data
        return NewPractice(
            name=data["practice_name"],
            slug=data["slug"],
            time_zone=data["time_zone"],
            province=data["province"],
            tax_number=data["tax_number"],
            registration_number=data["registration_number"],
        )
