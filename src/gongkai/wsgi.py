"""WSGI entry point for production: ``gunicorn gongkai.wsgi``."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")

application = get_wsgi_application()

# The word-segmentation dictionary, loaded as the worker starts rather than on the first search.
from gongkai.search.segment import warm  # noqa: E402

warm()
