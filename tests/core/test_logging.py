import io
import json
import logging

import pytest

from core.logging import JsonFormatter, MaskSensitiveFilter
from core.masking import mask_id_number, mask_mobile, mask_sensitive_text

ID_NUMBER = "11010519491231002X"


@pytest.fixture
def log_stream():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(MaskSensitiveFilter())
    logger = logging.getLogger("tests.masking")
    logger.addHandler(handler)
    logger.propagate = False
    yield logger, stream
    logger.removeHandler(handler)


def test_masks_keep_first_three_and_last_four():
    assert mask_id_number(ID_NUMBER) == "110***********002X"
    assert mask_mobile("13812345678") == "138****5678"


def test_free_text_is_masked_but_other_numbers_stay():
    text = f"身份证 {ID_NUMBER}，手机 13812345678，区划 990101001001，金额 12345678901234567"

    assert mask_sensitive_text(text) == (
        "身份证 110***********002X，手机 138****5678，区划 990101001001，金额 12345678901234567"
    )


def test_log_lines_are_json_without_full_id_numbers(log_stream):
    logger, stream = log_stream

    logger.warning("import row 3: person %s duplicated, phone %s", ID_NUMBER, "13812345678")
    try:
        raise ValueError(f"bad id {ID_NUMBER.lower()}")
    except ValueError:
        logger.exception("failed")

    lines = stream.getvalue().splitlines()
    first = json.loads(lines[0])
    assert first["level"] == "WARNING"
    assert first["message"] == (
        "import row 3: person 110***********002X duplicated, phone 138****5678"
    )
    assert ID_NUMBER not in stream.getvalue()
    assert ID_NUMBER.lower() not in stream.getvalue()
    assert "13812345678" not in stream.getvalue()


def test_numbers_inside_quoted_urls_are_masked():
    line = (
        f'"GET /accounts/login/?next=/orgs/people/%3Fq%3D{ID_NUMBER}%2520{"13812345678"} HTTP/1.1"'
    )

    assert mask_sensitive_text(line) == (
        '"GET /accounts/login/?next=/orgs/people/'
        '%3Fq%3D110***********002X%2520138****5678 HTTP/1.1"'
    )


def test_celery_logs_through_the_masking_configuration():
    from django.conf import settings

    from registry.celery import app

    assert app.conf.worker_hijack_root_logger is False
    assert settings.LOGGING["root"]["handlers"] == ["stdout"]
    assert settings.LOGGING["handlers"]["stdout"]["filters"] == ["mask_ids"]
