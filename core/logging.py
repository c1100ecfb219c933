"""Structured logging to stdout that never writes a full ID number or mobile number."""

import json
import logging
from datetime import UTC, datetime

from core.masking import mask_sensitive_text


class MaskSensitiveFilter(logging.Filter):
    """Replace ID and mobile numbers in the message with their masked form."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_sensitive_text(message)
        if masked != message or record.args:
            record.msg = masked
            record.args = None
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message and the exception if any."""

    def format(self, record: logging.LogRecord) -> str:
        payload = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            payload["exception"] = self.formatException(record.exc_info)
        for key in ("status_code", "request_id", "user_id", "task_id"):
            value = getattr(record, key, None)
            if value is not None:
                payload[key] = value
        # Masking the whole line also covers tracebacks that quote an ID number.
        return mask_sensitive_text(json.dumps(payload, ensure_ascii=False, default=str))
