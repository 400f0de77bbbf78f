from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "fascia.notifications"
    verbose_name = "Notifications"
