"""Settings for bench/portal.py's gunicorn: the production settings plus one minimal view.

The minimal view (``/__ceiling__/``) runs through the same middleware, the same gunicorn and the
same machine as the portal pages, so its throughput is the ceiling they are compared with.
"""

from gongkai.settings import *  # noqa: F403

ROOT_URLCONF = "portal_site_urls"
