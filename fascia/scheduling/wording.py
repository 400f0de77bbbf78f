"""Days and times written the reader's way, in the active language: "Monday, March 3" and
"10:00 AM" in English, « lundi 3 mars » and « 10 h 00 » in French. Each is written as given
(give it in the practice's zone); pages use them through the `when` template filters, which
first bring the moment into the zone the page is shown in, as Django's `date` filter does."""

from __future__ import annotations

from datetime import date, datetime

from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext


def day_text(moment: datetime | date) -> str:
    """ "Monday, March 3"."""
    return date_format(moment, pgettext("appointment day", "l, F j"))


def short_day_text(moment: datetime | date) -> str:
    """ "Mar 3"."""
    return date_format(moment, pgettext("short day", "M j"))


def full_date_text(moment: datetime | date) -> str:
    """ "March 3, 2026"."""
    return date_format(moment, pgettext("full date", "F j, Y"))


def time_text(moment: datetime) -> str:
    """ "10:00 AM"."""
    return time_format(moment, pgettext("appointment time", "g:i A"))


def when_text_of(moment: datetime) -> str:
    """ "Monday, March 3 at 10:00 AM"."""
    return _("%(day)s at %(time)s") % {"day": day_text(moment), "time": time_text(moment)}
