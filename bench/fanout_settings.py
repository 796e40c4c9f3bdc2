"""Settings of the daphne that bench/fanout.py measures: the project's own settings, with only
the limits that would refuse the benchmark's traffic lifted.

One poster sends a contribution a second for minutes, from one account and one IP address,
through one socket: the posting limits (DELIBERATION_POST_RATE_PER_*) and the per-socket
frame limit (DELIBERATION_REALTIME_RATE) would refuse it or close the socket. Nothing else changes: the
channel layer (in memory, or channels_redis with REDIS_URL), the database, the consumers and
the rendering are the ones production runs. DEBUG is off, as in production (with DEBUG on,
Django keeps every SQL query in memory).

Used as ``DJANGO_SETTINGS_MODULE=bench.fanout_settings`` with the project root as the current
directory (``bench`` has no ``__init__.py``: it imports as a namespace package).
"""

from config.settings import *  # noqa: F403

DEBUG = False

UNLIMITED = "1000000/minute"
DELIBERATION_POST_RATE_PER_ACCOUNT = [UNLIMITED]
DELIBERATION_POST_RATE_PER_IP = [UNLIMITED]
DELIBERATION_REALTIME_RATE = "1000000/10 seconds"

# daphne prints a line per socket opened and closed; the server log goes to a file, and
# warnings (a consumer's exception, a channel-layer error) are what the benchmark reads there.
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
