"""Settings of the gunicorn that benchmarks/api.py starts: the project's, plus the floor route.

Only the benchmark loads this module; the product's URLconf and settings are unchanged.
"""

from registry.settings.local import *  # noqa: F403

ROOT_URLCONF = "benchmarks.api_urls"
