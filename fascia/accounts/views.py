from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from fascia.accounts.access import ANY_STAFF, PUBLIC, SIGNED_IN, access
from fascia.accounts.forms import SignInForm
from fascia.accounts.models import ApiToken
from fascia.accounts.practice_context import choose_practice, signed_in_user
from fascia.accounts.tokens import revoke_own_token
from fascia.validation import optional_id

sign_in = access(PUBLIC)(
    auth_views.LoginView.as_view(
        template_name="accounts/sign_in.html",
        authentication_form=SignInForm,
        redirect_authenticated_user=True,
    )
)
sign_out = access(PUBLIC)(auth_views.LogoutView.as_view())


@access(SIGNED_IN)
def after_sign_in(request: HttpRequest) -> HttpResponse:
    """Send each person to their own home: staff to the practice, clients to their account."""
    if getattr(request, "practice", None) is not None:
        return redirect("staff:home")
    if request.user.client_records.exists():  # type: ignore[union-attr]
        return redirect("public:my-account")
    return render(request, "accounts/no_practice.html")


@access(ANY_STAFF)
def switch_practice(request: HttpRequest) -> HttpResponse:
    """Work in another of the user's practices (one they are not staff of is refused)."""
    if request.method == "POST":
        chosen = request.POST.get("practice", "")
        if not (chosen.isascii() and chosen.isdigit()) or not choose_practice(request, int(chosen)):
            return render(
                request,
                "400.html",
                {"reason": _("Choose one of the practices you work for.")},
                status=400,
            )
    return redirect("staff:home")


@access(SIGNED_IN)
def api_tokens(request: HttpRequest) -> HttpResponse:
    """The signed-in person's API tokens: what each is for, its first characters, when it was
    made, last used and expires; and a button to revoke it."""
    user = signed_in_user(request)
    if request.method == "POST":
        token_id = optional_id(request.POST, "token")
        if token_id is not None and revoke_own_token(user, token_id):
            messages.success(request, _("Token revoked: it no longer signs anything in."))
        else:
            messages.error(request, _("That token is not yours or was already revoked."))
        return redirect("accounts:api-tokens")
    return render(
        request,
        "accounts/api_tokens.html",
        {"tokens": ApiToken.objects.filter(user=user), "now": timezone.now()},
    )
