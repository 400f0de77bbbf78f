from django.urls import path

from fascia.pay import views

app_name = "pay"
urlpatterns = [
    path("", views.pay, name="report"),
    path("rules/", views.rules, name="rules"),
    path("rules/<int:rule_id>/end/", views.end_rule, name="end-rule"),
]
