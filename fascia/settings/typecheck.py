"""The profile mypy's Django plugin reads the models from: the test profile without
django-modeltranslation, whose run-time managers (made per model as the app starts) the plugin
cannot name. The `<field>_en` / `<field>_fr` columns it adds are therefore unknown to the type
checker; code that names them does so through strings (`practice_words`)."""

from fascia.settings.test import *  # noqa: F403
from fascia.settings.test import INSTALLED_APPS

INSTALLED_APPS = [app for app in INSTALLED_APPS if app != "modeltranslation"]
