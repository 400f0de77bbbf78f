from django.urls import path

from fascia.accounts import invitation_views, start_views, two_factor_views, views

app_name = "accounts"
urlpatterns = [
    path("sign-in/", views.sign_in, name="login"),
    path("sign-out/", views.sign_out, name="logout"),
    path("welcome/", views.after_sign_in, name="after-login"),
    path("switch-practice/", views.switch_practice, name="switch-practice"),
    path("api-tokens/", views.api_tokens, name="api-tokens"),
    path("invitation/<str:token>/", invitation_views.accept, name="accept-invitation"),
    path("two-factor/", two_factor_views.second_step, name="two-factor"),
    path("two-factor/set-up/", two_factor_views.set_up, name="two-factor-set-up"),
    path(
        "two-factor/recovery-codes/",
        two_factor_views.recovery_codes,
        name="two-factor-recovery-codes",
    ),
    path("two-factor/off/", two_factor_views.turn_off, name="two-factor-off"),
    path("start/", start_views.start, name="start-practice"),
    path("start/<str:token>/", start_views.finish, name="start-practice-finish"),
]
