"""场地 is the word for a bookable place; 活动室 only names the room kind."""

from pathlib import Path

import polib
from django.conf import settings
from django.utils import translation

PO_FILE = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def test_a_room_in_general_is_a_place():
    with translation.override("zh-hans"):
        assert translation.gettext("Room") == "场地"
        assert translation.gettext("Rooms in detail") == "查看各场地明细"
        assert translation.gettext("Activity room") == "活动室"


def test_only_the_room_kind_is_translated_as_activity_room():
    uses = {entry.msgid for entry in polib.pofile(str(PO_FILE)) if "活动室" in entry.msgstr}

    assert uses == {"Activity room"}
