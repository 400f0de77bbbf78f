from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "fascia.accounts"
    verbose_name = "Accounts and staff"

    def ready(self) -> None:
        from axes.signals import user_locked_out

        from fascia.accounts.lockout import record_lockout

        user_locked_out.connect(record_lockout, dispatch_uid="fascia-audit-lockout")

        # Signing in starts the idle clock and notes what second step the session owes.
        import fascia.accounts.middleware
        import fascia.accounts.two_factor  # noqa: F401
