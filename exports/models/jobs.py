"""ExportJob: a workbook written by a Celery task (issue 8)."""

__all__: list[str] = []
