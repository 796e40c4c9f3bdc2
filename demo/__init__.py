"""The demo site: pages, consultations, accounts and discussions in Arabic, French and
English, built by the ``seed_demo`` command.

``demo.content`` holds the texts and scripts as plain data; ``demo.build`` makes them into a
site the way its people would, through the apps' public services only, so that seeding is
also an end-to-end check of those services:

- citizens and staff sign up (``accounts.services.user_sign_up``) and confirm their address
  (``user_email_verify``); staff status and groups are then set as an administrator sets them
  in the Users admin (Django's own ``User`` and ``Group`` API: there is no service for it);
- locales, home pages, translations, institutions' groups and workflows come from
  ``cms.services`` (and the ``setup_institutions`` command);
- pages are created and published as an editor does in the Wagtail admin, through Wagtail's
  public page API (``add_child``, ``save_revision().publish()``): no Majlis service publishes
  a page, and publishing fires the same signals (draft versions, search index) as the admin;
- posts, reactions, reports and moderators' decisions go through ``deliberation.services``;
  citizens' requests are filed, handled, published and supported through
  ``citizen_requests.services`` (request desks are created as an administrator creates them);
  the search index is rebuilt by ``search.services``.

What a real user cannot do is done for the demo, in ``demo.build.conditions`` and
``demo.build.outcomes``: while seeding, rate limits and newcomers' pre-moderation are lifted
and emails dropped (settings set for the time of the command); the closed consultation is
open again for the moment its past discussion is posted; the clock reads the day of each
request's step while it is taken (``clock_at``); and the anonymous report gets a published
secret code (``secret_code_given``).
"""
