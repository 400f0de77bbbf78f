from django.urls import path

from fascia.accounts import invitation_views, start_views, views

app_name = "accounts"
urlpatterns = [
    path("sign-in/", views.sign_in, name="login"),
    path("sign-out/", views.sign_out, name="logout"),
    path("welcome/", views.after_sign_in, name="after-login"),
    path("switch-practice/", views.switch_practice, name="switch-practice"),
    path("api-tokens/", views.api_tokens, name="api-tokens"),
    path("invitation/<str:token>/", invitation_views.accept, name="accept-invitation"),
    path("start/", start_views.start, name="start-practice"),
    path("start/<str:token>/", start_views.finish, name="start-practice-finish"),
]
