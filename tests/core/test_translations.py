"""The committed zh_Hans catalog is complete and compiled."""

from pathlib import Path

import polib
from django.utils import translation

CATALOG = Path(__file__).resolve().parents[2] / "locale" / "zh_Hans" / "LC_MESSAGES"


def test_every_source_string_has_a_chinese_translation():
    po = polib.pofile(str(CATALOG / "django.po"))

    untranslated = [entry.msgid for entry in po.untranslated_entries()]
    fuzzy = [entry.msgid for entry in po.fuzzy_entries()]

    assert untranslated == []
    assert fuzzy == []


def test_compiled_catalog_matches_the_source():
    po = polib.pofile(str(CATALOG / "django.po"))
    mo = polib.mofile(str(CATALOG / "django.mo"))

    def as_dict(catalog):
        return {
            (entry.msgctxt, entry.msgid): entry.msgstr or dict(entry.msgstr_plural)
            for entry in catalog
            if not entry.obsolete and "fuzzy" not in entry.flags
        }

    compiled = {key: value for key, value in as_dict(mo).items() if key}
    source = {key: value for key, value in as_dict(po).items() if key}
    assert compiled == {
        key: ({int(k): v for k, v in value.items()} if isinstance(value, dict) else value)
        for key, value in source.items()
    }


def test_role_names_are_shown_in_chinese():
    from accounts.roles import Role

    with translation.override("zh-hans"):
        assert [str(label) for label in Role.labels] == [
            "县级管理员",
            "街道/乡镇工作人员",
            "社区书记",
            "县领导/观察员",
            "社团联络人",
        ]
