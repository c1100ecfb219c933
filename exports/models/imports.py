"""ImportJob: an uploaded ledger validated row by row before commit (issue 8)."""

__all__: list[str] = []
