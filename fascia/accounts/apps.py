from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "fascia.accounts"
    verbose_name = "Accounts and staff"
