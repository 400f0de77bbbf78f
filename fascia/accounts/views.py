from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from fascia.accounts.access import ANY_STAFF, PUBLIC, SIGNED_IN, access
from fascia.accounts.forms import SignInForm
from fascia.accounts.practice_context import choose_practice

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
