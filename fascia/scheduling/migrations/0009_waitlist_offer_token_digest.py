"""Waitlist offers keep only the SHA-256 of their link's token. Links already sent keep
working: the digest of each stored token replaces it."""

import hashlib

from django.db import migrations, models


def digest_tokens(apps, schema_editor):
    offers = apps.get_model("scheduling", "WaitlistOffer")
    for offer in offers.objects.all().only("pk", "token_digest"):
        offer.token_digest = hashlib.sha256(offer.token_digest.encode()).hexdigest()
        offer.save(update_fields=["token_digest"])


class Migration(migrations.Migration):
    dependencies = [("scheduling", "0008_schedule_stamps")]

    operations = [
        migrations.RenameField("waitlistoffer", "token", "token_digest"),
        migrations.RunPython(digest_tokens, migrations.RunPython.noop),
    ]
