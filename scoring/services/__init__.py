"""Writes of the scoring app: computation and runs (compute.py, runs.py), schemes, awards and
assessments (schemes.py, awards.py, assessments.py)."""
