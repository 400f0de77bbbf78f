"""The practice's own website, at its booking address (`/book/<slug>/`): home, therapists,
locations and home visits, fees and insurance, the conditions guide and the contact form.
Everything shown comes from the practice's records and its website words
(`fascia.website.site`); the one write, the contact form, goes through
`website.actions.receive_contact_message`."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import sitemap
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fascia.accounts.access import PUBLIC, access
from fascia.billing.tax import tax_for
from fascia.practices.modalities import modality_labels
from fascia.practices.models import Practice, Province, Service, Therapist
from fascia.records.screening import client_red_flags
from fascia.scheduling.geography import Point, describe_days
from fascia.scheduling.travel import travel_fee
from fascia.website.actions import (
    LINKS_PER_MESSAGE,
    ContactRefused,
    check_plain_text,
    receive_contact_message,
)
from fascia.website.conditions import GUIDE_TECHNIQUES, Condition
from fascia.website.models import ContactMessage
from fascia.website.site import (
    guide_page,
    guide_pages,
    public_locations,
    public_services,
    public_therapists,
    website_of,
)


def _practice(slug: str) -> Practice:
    return get_object_or_404(Practice, slug=slug)


def site_context(
    request: HttpRequest, practice: Practice, *, page: str, title: Any, description: Any
) -> dict[str, Any]:
    """What every page of the site needs: the practice, its website words, the navigation's
    current page, and the title, description and share picture for search engines and
    previews."""
    website = website_of(practice)
    share_image = ""
    if website.photo:
        share_image = request.build_absolute_uri(reverse("public:site-photo", args=[practice.slug]))
    elif practice.logo:
        share_image = request.build_absolute_uri(
            reverse("public:practice-logo", args=[practice.slug])
        )
    return {
        "practice": practice,
        "website": website,
        "site_page": page,
        "page_title": str(title),
        "page_description": " ".join(str(description).split())[:300],
        "canonical_url": request.build_absolute_uri(request.path),
        "share_image": share_image,
    }


def _today(practice: Practice) -> Any:
    return timezone.localdate(timezone=practice.zone)


@access(PUBLIC)
def site_home(request: HttpRequest, slug: str) -> HttpResponse:
    practice = _practice(slug)
    website = website_of(practice)
    services = list(public_services(practice)[:6])
    description = website.headline or _(
        "%(practice)s: registered massage therapy. Services, therapists, hours and online booking."
    ) % {"practice": practice.public_name}
    context = site_context(
        request, practice, page="home", title=practice.public_name, description=description
    )
    context.update(
        services=services,
        therapists=public_therapists(practice, _today(practice))[:6],
        locations=public_locations(practice),
        guide=guide_pages(practice)[:6],
        tax_name=tax_for(practice)[0],
    )
    return render(request, "public/site/home.html", context)


@access(PUBLIC)
def site_photo(request: HttpRequest, slug: str) -> FileResponse:
    """The practice's website photo (public: it is on its home page)."""
    website = website_of(_practice(slug))
    if not website.photo:
        raise Http404
    return _picture(website.photo)


def _picture(field: Any) -> FileResponse:
    response = FileResponse(field.open("rb"))
    response["Cache-Control"] = "public, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _public_therapist(practice: Practice, therapist_id: int) -> Therapist:
    therapist = next(
        (t for t in public_therapists(practice, _today(practice)) if t.pk == therapist_id), None
    )
    if therapist is None:
        raise Http404
    return therapist


def registration_line(practice: Practice, therapist: Therapist) -> str:
    """The registration as clients may check it: the title, the college and the number."""
    if not therapist.registration_number:
        return ""
    if practice.province == Province.ON:
        return _(
            "Registered Massage Therapist, College of Massage Therapists of Ontario, "
            "registration no. %(number)s"
        ) % {"number": therapist.registration_number}
    return _("Registered Massage Therapist, registration no. %(number)s") % {
        "number": therapist.registration_number
    }


@access(PUBLIC)
def therapist_page(request: HttpRequest, slug: str, therapist_id: int) -> HttpResponse:
    practice = _practice(slug)
    therapist = _public_therapist(practice, therapist_id)
    bio = " ".join(therapist.bio.split())
    context = site_context(
        request,
        practice,
        page="therapists",
        title=str(therapist),
        description=bio[:160]
        or _("%(name)s, registered massage therapist at %(practice)s.")
        % {"name": therapist.display_name, "practice": practice.public_name},
    )
    if therapist.photo:
        context["share_image"] = request.build_absolute_uri(
            reverse("public:therapist-photo", args=[practice.slug, therapist.pk])
        )
    offered = [
        service
        for service in public_services(practice)
        if service.bookable_online and service.modality in (therapist.modalities or [])
    ]
    context.update(
        therapist=therapist,
        techniques=modality_labels(therapist.modalities or []),
        registration=registration_line(practice, therapist),
        services=offered,
    )
    return render(request, "public/site/therapist.html", context)


@access(PUBLIC)
def therapist_photo(request: HttpRequest, slug: str, therapist_id: int) -> FileResponse:
    therapist = _public_therapist(_practice(slug), therapist_id)
    if not therapist.photo:
        raise Http404
    return _picture(therapist.photo)


@access(PUBLIC)
def locations(request: HttpRequest, slug: str) -> HttpResponse:
    practice = _practice(slug)
    places = list(public_locations(practice))
    clinics = [place for place in places if not place.is_mobile]
    mobiles = []
    for mobile in (place for place in places if place.is_mobile):
        areas = [
            {
                "name": area.name,
                "days": describe_days(area),
                "fee": travel_fee(mobile, Point(*area.centroid)),
            }
            for area in mobile.service_areas.all()
        ]
        mobiles.append({"location": mobile, "areas": areas})
    context = site_context(
        request,
        practice,
        page="locations",
        title=_("Locations, hours and home visits"),
        description=_(
            "Where %(practice)s treats clients: addresses, directions, hours and the "
            "areas its therapists visit at home."
        )
        % {"practice": practice.public_name},
    )
    context.update(clinics=clinics, mobiles=mobiles)
    return render(request, "public/site/locations.html", context)


@access(PUBLIC)
def fees_and_insurance(request: HttpRequest, slug: str) -> HttpResponse:
    practice = _practice(slug)
    context = site_context(
        request,
        practice,
        page="insurance",
        title=_("Fees, insurance and cancellations"),
        description=_(
            "Prices, insurance receipts, direct billing and the cancellation policy "
            "of %(practice)s."
        )
        % {"practice": practice.public_name},
    )
    context.update(
        services=public_services(practice),
        tax_name=tax_for(practice)[0],
        late_fee=practice.late_cancellation_fee_percent.quantize(Decimal("1")),
    )
    return render(request, "public/site/insurance.html", context)


class ContactForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Your name"), max_length=120)
    email = forms.EmailField(label=gettext_lazy("Your email"), max_length=254)
    phone = forms.CharField(
        label=gettext_lazy("Phone (optional)"),
        max_length=30,
        required=False,
    )
    message = forms.CharField(
        label=gettext_lazy("Your message"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy(
            "Please do not send health details here: your therapist asks about them in your "
            "health history."
        ),
    )
    # Left empty by people (it is hidden from them); robots fill it in.
    homepage = forms.CharField(required=False, label=gettext_lazy("Leave this empty"))

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"]
        check_plain_text(name, links_allowed=0)
        return name

    def clean_phone(self) -> str:
        phone: str = self.cleaned_data["phone"].strip()
        if phone and not all(ch.isdigit() or ch in " +-().ext" for ch in phone):
            raise forms.ValidationError(_("Give a phone number, such as 905-555-0100."))
        return phone

    def clean_message(self) -> str:
        message: str = self.cleaned_data["message"]
        check_plain_text(message, links_allowed=LINKS_PER_MESSAGE)
        return message


def take_message(
    request: HttpRequest,
    practice: Practice,
    form: ContactForm,
    *,
    topic: str = ContactMessage.Topic.GENERAL,
    heading: str = "",
) -> tuple[bool, str, int]:
    """A contact or feedback form's message, into the practice's website messages: (taken,
    why refused, HTTP status). A robot's (the hidden field filled in) is dropped as if taken."""
    if not form.is_valid():
        return False, "", 400
    if form.cleaned_data["homepage"]:
        return True, "", 302
    try:
        receive_contact_message(
            practice,
            name=form.cleaned_data["name"],
            email=form.cleaned_data["email"],
            phone=form.cleaned_data["phone"],
            message=(f"[{heading}]\n\n" if heading else "") + form.cleaned_data["message"],
            address=request.META.get("REMOTE_ADDR"),
            topic=topic,
        )
    except ContactRefused as error:
        return False, str(error), 429
    return True, "", 302


@access(PUBLIC)
def contact(request: HttpRequest, slug: str) -> HttpResponse:
    practice = _practice(slug)
    website = website_of(practice)
    form = ContactForm(request.POST if request.method == "POST" else None)
    refused, status = "", 200
    if request.method == "POST" and website.contact_form_open:
        sent, refused, status = take_message(request, practice, form)
        if sent:
            return redirect("public:site-contact-sent", slug=practice.slug)
    context = site_context(
        request,
        practice,
        page="contact",
        title=_("Contact us"),
        description=_("Phone, email and a message form for %(practice)s.")
        % {"practice": practice.public_name},
    )
    context.update(form=form, refused=refused, clinics=public_locations(practice))
    return render(request, "public/site/contact.html", context, status=status)


@access(PUBLIC)
def contact_sent(request: HttpRequest, slug: str) -> HttpResponse:
    practice = _practice(slug)
    context = site_context(
        request,
        practice,
        page="contact",
        title=_("Message sent"),
        description=_("Your message reached %(practice)s.") % {"practice": practice.public_name},
    )
    return render(request, "public/site/contact_sent.html", context)


@access(PUBLIC)
def conditions(request: HttpRequest, slug: str) -> HttpResponse:
    practice = _practice(slug)
    context = site_context(
        request,
        practice,
        page="conditions",
        title=_("Conditions we treat"),
        description=_(
            "What massage therapy can and cannot do for common problems, in plain "
            "words, and when to see a physician first."
        ),
    )
    context["pages"] = guide_pages(practice)
    return render(request, "public/site/conditions.html", context)


def suited_services(practice: Practice, condition: Condition) -> list[Service]:
    """The practice's bookable services that suit the condition, best first."""
    bookable = [service for service in public_services(practice) if service.bookable_online]
    rank: dict[str, int] = {str(modality): index for index, modality in enumerate(condition.suited)}
    techniques = {str(modality) for modality in condition.techniques}
    suited = [s for s in bookable if s.modality in rank or s.modality in techniques]
    return sorted(suited, key=lambda s: rank.get(s.modality, len(rank)))[:4]


@access(PUBLIC)
def condition_page(request: HttpRequest, slug: str, condition: str) -> HttpResponse:
    practice = _practice(slug)
    page = guide_page(practice, condition)
    if page is None:
        raise Http404
    context = site_context(
        request,
        practice,
        page="conditions",
        title=page.condition.name,
        description=page.condition.summary,
    )
    technique_labels = dict(
        zip(GUIDE_TECHNIQUES, modality_labels(list(GUIDE_TECHNIQUES)), strict=True)
    )
    context.update(
        page=page,
        condition=page.condition,
        techniques=[technique_labels[t] for t in page.condition.techniques],
        red_flags=[label for _code, label in client_red_flags()],
        physician_first=[p for p in page.condition.precautions if p.physician_first],
        precautions=[p for p in page.condition.precautions if not p.physician_first],
        services=suited_services(practice, page.condition),
    )
    return render(request, "public/site/condition.html", context)


class PracticeSiteMap(Sitemap):
    """Every public page of open practices' sites (or of one practice)."""

    changefreq = "weekly"

    def __init__(self, practice: Practice | None = None) -> None:
        self.practice = practice

    def items(self) -> list[str]:
        practices = (
            [self.practice]
            if self.practice is not None
            else list(Practice.objects.filter(booking_open=True).order_by("pk"))
        )
        paths = []
        for practice in practices:
            args = [practice.slug]
            paths += [
                reverse(name, args=args)
                for name in (
                    "public:site-home",
                    "public:book-service",
                    "public:site-therapists",
                    "public:site-locations",
                    "public:site-insurance",
                    "public:site-contact",
                    "public:site-conditions",
                    "public:physio-or-massage",
                    "public:rmt-or-spa",
                    "public:home-visit-check",
                )
            ]
            paths += [
                reverse("public:site-therapist", args=[practice.slug, therapist.pk])
                for therapist in public_therapists(practice, _today(practice))
            ]
            paths += [
                reverse("public:site-condition", args=[practice.slug, page.condition.slug])
                for page in guide_pages(practice)
            ]
        return paths

    def location(self, item: str) -> str:
        return item


@access(PUBLIC)
def practice_sitemap(request: HttpRequest, slug: str) -> HttpResponse:
    return sitemap(request, sitemaps={"site": PracticeSiteMap(_practice(slug))})


@access(PUBLIC)
def all_sitemap(request: HttpRequest) -> HttpResponse:
    return sitemap(request, sitemaps={"sites": PracticeSiteMap()})


@access(PUBLIC)
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        "Disallow: /staff/",
        "Disallow: /account/",
        "Disallow: /admin/",
        "Disallow: /api/",
        f"Sitemap: {request.build_absolute_uri(reverse('public:sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")
