from django.apps import AppConfig


class PracticesConfig(AppConfig):
    name = "fascia.practices"
    verbose_name = "Practice"

    def ready(self) -> None:
        from fascia.practice_words import connect_signals

        connect_signals()  # the original column of a field in two languages keeps the English
