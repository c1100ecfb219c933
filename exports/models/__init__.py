"""Export jobs (`jobs.py`) and import jobs (`imports.py`)."""

from exports.models.imports import *  # noqa: F403
from exports.models.jobs import *  # noqa: F403
