"""The pepctl GitHub App: a webhook service that runs the PEP gate for every installation.

One module per concern (docs/bot.md has the whole picture):

- ``config``: the settings table (flags and environment variables);
- ``signature``: checking ``X-Hub-Signature-256`` on the raw body;
- ``app``: the Starlette routes (``/webhook``, ``/healthz``, ``/metrics``);
- ``models`` and ``store``: the tables (SQLAlchemy Core) and the database;
- ``migrations``: the Alembic scripts that create and change the tables;
- ``events``: which pull requests an event makes dirty;
- ``queue``: dirty work under leases (level-triggered, coalescing);
- ``auth``: the App's JWT and installation tokens;
- ``worker``: the loop that claims dirty rows and due timers under leases;
- ``rows``: what a claimed row asks for: a pull request through ``pepctl.github.gate``, an issue,
  a repository's resync;
- ``reminders``: the first-feedback reminder and the stale-draft nudge, scheduled and fired;
- ``launch``: workers in threads and in the worker process of ``serve``;
- ``timers``, ``audit``, ``metrics``.

Nothing here is imported unless ``pepctl bot ...`` runs: the bot extra is heavy.
"""
