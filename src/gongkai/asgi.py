"""ASGI entry point (for ASGI servers; the documented production server is gunicorn + WSGI)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")

application = get_asgi_application()
