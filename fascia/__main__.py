"""The `fascia` console command: Django's manage.py under the product's name.

Invalid settings stop start-up with one clear sentence instead of a traceback, so an operator
who mistyped DATABASE_URL is told exactly that.
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fascia.settings.dev")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    try:
        settings.INSTALLED_APPS  # noqa: B018 - loading settings validates the environment
    except ImproperlyConfigured as exc:
        sys.stderr.write(f"fascia: {exc}\n")
        sys.exit(2)

    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
