"""Export and import jobs (issue 8)."""
