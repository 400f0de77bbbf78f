"""Settings profiles: `dev` (default, embedded SQLite), `production` and `test`.

Every profile reads the environment through `fascia.settings.environment`; see README.md for the
variables.
"""
