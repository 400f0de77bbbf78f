"""What booking announces to whoever listens, so booking imports none of them."""

from django.dispatch import Signal

# A booked time was given up (cancelled, or moved away), once the change is saved. Sent with
# practice, therapist, location and start; the waitlist listens and offers the time on.
time_freed = Signal()
