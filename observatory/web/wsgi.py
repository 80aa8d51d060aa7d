"""The WSGI application `observatory serve` runs (and any other WSGI server could)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "observatory.web.settings")
application = get_wsgi_application()
