"""Who may use each page and API operation: one mechanism, deny by default.

Every view declares a `Policy` with `@access(POLICY)`; every API operation passes
`auth=POLICY.api()`. `AccessPolicyMiddleware` refuses any URL whose view declares nothing, and a
test walks the URL configuration so a new URL without a policy fails CI.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.apps import apps
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from ninja.errors import HttpError
from ninja.utils import check_csrf

from fascia.accounts.models import Role

logger = logging.getLogger(__name__)

ViewFunc = TypeVar("ViewFunc", bound=Callable[..., Any])


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str = ""


ALLOW = Decision(True)


@dataclass(frozen=True)
class Policy:
    """Who may use a view.

    - `public`: anyone, signed in or not.
    - `roles`: staff of the request's practice holding one of these roles.
    - `signed_in`: anyone signed in (the view itself shows only their own things).
    - `record_owner_kwarg`: also the client whose record it is, named by this URL argument
      (health information: a client may see their own record, per PHIPA).
    """

    name: str
    description: str
    public: bool = False
    signed_in: bool = False
    roles: frozenset[str] = frozenset()
    record_owner_kwarg: str | None = None

    def decide(self, request: HttpRequest, view_kwargs: dict[str, Any]) -> Decision:
        if self.public:
            return ALLOW
        user = request.user
        if not user.is_authenticated:
            return Decision(False, _("Please sign in."))
        if self.signed_in:
            return ALLOW
        role = getattr(request, "staff_role", None)
        if role in self.roles:
            return ALLOW
        if self.record_owner_kwarg and _is_record_owner(request, view_kwargs):
            return ALLOW
        if role is None:
            return Decision(False, _("This page is for the practice's staff."))
        return Decision(False, f"Your role ({Role(role).label}) does not give access to this.")

    def api(self) -> PolicyAuth:
        """This policy as a django-ninja `auth=` value."""
        return PolicyAuth(self)


def _is_record_owner(request: HttpRequest, view_kwargs: dict[str, Any]) -> bool:
    client_model = apps.get_model("clients", "Client")
    client_id = view_kwargs.get("client_id")
    if client_id is None:
        return False
    return client_model.objects.filter(pk=client_id, user=request.user).exists()


STAFF_ROLES = frozenset(Role.values)

PUBLIC = Policy("public", "Anyone, signed in or not.", public=True)
SIGNED_IN = Policy(
    "signed in", "Anyone signed in; the page shows only their own things.", signed_in=True
)
ANY_STAFF = Policy("any staff", "Every staff role of the practice.", roles=STAFF_ROLES)
BOOKING = Policy(
    "booking",
    "Booking, moving, cancelling and marking attendance: owner, therapists and front desk (the "
    "bookkeeper sees times and amounts, never clients' addresses).",
    roles=frozenset({Role.OWNER, Role.THERAPIST, Role.FRONT_DESK}),
)
CLIENT_DIRECTORY = Policy(
    "client directory",
    "Client names and contact details: owner, therapists and front desk (not the bookkeeper).",
    roles=frozenset({Role.OWNER, Role.THERAPIST, Role.FRONT_DESK}),
)
CLIENT_RECORD = Policy(
    "client record",
    "One client's record: owner, therapists and front desk, and the client themselves.",
    roles=frozenset({Role.OWNER, Role.THERAPIST, Role.FRONT_DESK}),
    record_owner_kwarg="client_id",
)
CLINICAL_RECORD = Policy(
    "clinical record",
    "Treatment notes, consents and assessments: the practice's therapists and the owner.",
    roles=frozenset({Role.OWNER, Role.THERAPIST}),
)
CLINICAL_RESULTS = Policy(
    "clinical results",
    "Outcome scores: the practice's therapists and the owner, and the client whose record it is "
    "(never the front desk or the bookkeeper).",
    roles=frozenset({Role.OWNER, Role.THERAPIST}),
    record_owner_kwarg="client_id",
)
BILLING = Policy(
    "billing",
    "Invoices, payments and receipts: owner, front desk and bookkeeper (money, not health).",
    roles=frozenset({Role.OWNER, Role.FRONT_DESK, Role.BOOKKEEPER}),
)
PAY = Policy(
    "pay",
    "Therapists' pay reports: the owner and the bookkeeper, and each therapist for their own "
    "(the rules themselves are practice set-up).",
    roles=frozenset({Role.OWNER, Role.BOOKKEEPER, Role.THERAPIST}),
)
REFERRAL_NOTES = Policy(
    "referral notes",
    "A physician's referral note (health information): the owner, the front desk who receive "
    "it, and a therapist who treats the client; the bookkeeper sees only that one is on file "
    "and when it expires.",
    roles=frozenset({Role.OWNER, Role.FRONT_DESK, Role.THERAPIST}),
)
PROFESSIONAL_RECORDS = Policy(
    "professional records",
    "Registration, liability insurance, continuing education and CPR/first aid: the owner, and "
    "each therapist for their own.",
    roles=frozenset({Role.OWNER, Role.THERAPIST}),
)
EQUIPMENT = Policy(
    "equipment",
    "Equipment and its cleaning, servicing and inspection records: owner, therapists and front "
    "desk.",
    roles=frozenset({Role.OWNER, Role.THERAPIST, Role.FRONT_DESK}),
)
WEBSITE_MESSAGES = Policy(
    "website messages",
    "Messages sent with the practice website's contact form: owner, therapists and front desk "
    "(not the bookkeeper).",
    roles=frozenset({Role.OWNER, Role.THERAPIST, Role.FRONT_DESK}),
)
PRACTICE_SETUP = Policy(
    "practice set-up",
    "Practice settings, staff and services: the owner.",
    roles=frozenset({Role.OWNER}),
)
RECORDS_RETENTION = Policy(
    "records retention",
    "Records past their retention period, their disposal and the disposal log: the owner.",
    roles=frozenset({Role.OWNER}),
)
RECORD_REQUESTS = Policy(
    "record requests",
    "Clients' requests to see or correct their record, their deadlines and answers: the owner.",
    roles=frozenset({Role.OWNER}),
)
PRIVACY_BREACHES = Policy(
    "privacy breaches",
    "The privacy breach log, the notices to affected clients and the IPC statistics: the owner.",
    roles=frozenset({Role.OWNER}),
)
MOBILE_WEEK = Policy(
    "mobile week",
    "The week planner for the mobile therapists, and asking clients to agree to its changes: "
    "the owner and the front desk.",
    roles=frozenset({Role.OWNER, Role.FRONT_DESK}),
)
AUDIT_LOG = Policy(
    "audit log",
    "Who accessed which record, and what each person accessed: the owner.",
    roles=frozenset({Role.OWNER}),
)

# URL namespaces whose views enforce access themselves, with how they do it.
DELEGATED_NAMESPACES = {
    "admin": "FasciaAdminSite.has_permission admits practice owners and platform operators only.",
    "api": "Each API operation declares a Policy as its auth; the API's default denies.",
}


def access(policy: Policy) -> Callable[[ViewFunc], ViewFunc]:
    """Declare who may use a view. The middleware enforces it; nothing else is needed."""

    def declare(view: ViewFunc) -> ViewFunc:
        view.access_policy = policy  # type: ignore[attr-defined]
        return view

    return declare


def policy_of(view: Callable[..., Any]) -> Policy | None:
    return getattr(view, "access_policy", None)


def namespace_is_delegated(namespaces: Iterable[str]) -> bool:
    return any(namespace in DELEGATED_NAMESPACES for namespace in namespaces)


def denied_response(request: HttpRequest, decision: Decision) -> HttpResponse:
    wants_json = request.path.startswith("/api/") or "application/json" in request.headers.get(
        "Accept", ""
    )
    if not request.user.is_authenticated:
        if wants_json:
            return JsonResponse({"detail": decision.reason}, status=401)
        return redirect_to_login(request.get_full_path())
    if wants_json:
        return JsonResponse({"detail": decision.reason}, status=403)
    body = render_to_string("403.html", {"reason": decision.reason}, request=request)
    return HttpResponseForbidden(body)


class AccessPolicyMiddleware:
    """Enforces each view's declared Policy; a view that declares none is refused."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        match = request.resolver_match
        if match is not None and namespace_is_delegated(match.namespaces):
            return None
        policy = policy_of(view_func)
        if policy is None:
            logger.error("Refused %s: its view declares no access policy.", request.path)
            return denied_response(request, Decision(False, _("This page is not available.")))
        decision = policy.decide(request, view_kwargs)
        if decision.allowed:
            return None
        return denied_response(request, decision)


class PolicyAuth:
    """A Policy as a django-ninja auth callable: allowed -> the user; signed out -> 401;
    signed in without the role -> 403 with the reason."""

    def __init__(self, policy: Policy) -> None:
        self.policy = policy

    def __call__(self, request: HttpRequest) -> Any:
        match = getattr(request, "resolver_match", None)
        decision = self.policy.decide(request, dict(match.kwargs) if match else {})
        if not decision.allowed:
            if not request.user.is_authenticated:
                return None
            raise HttpError(403, decision.reason)
        # Ninja exempts its views from Django's CSRF middleware; a cookie session must still
        # prove that an unsafe request came from our own pages.
        unsafe = request.method not in ("GET", "HEAD", "OPTIONS")
        by_cookie = not getattr(request, "signed_in_by_token", False)
        if request.user.is_authenticated and unsafe and by_cookie and check_csrf(request):
            raise HttpError(403, _("CSRF check failed; reload the page and try again."))
        return request.user if request.user.is_authenticated else True


class DenyAll:
    """The API's default auth: an operation that declares no policy is never reachable."""

    def __call__(self, request: HttpRequest) -> Any:
        raise HttpError(403, _("This operation declares no access policy."))
