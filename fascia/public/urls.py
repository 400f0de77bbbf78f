from django.urls import path

from fascia.public import views

app_name = "public"
urlpatterns = [
    path("", views.home, name="home"),
    path("account/", views.my_account, name="my-account"),
    path("health/", views.health, name="health"),
]
