"""The zombie watch shows every reason in words, also a reason code an older seed stored."""

import datetime

from orgs.models import ZombieFlag
from tests.core.test_no_raw_codes import VisibleText


def test_a_zombie_flag_stored_with_a_reason_code_is_shown_in_words(county, county_admin, client):
    ZombieFlag.objects.create(
        organization=county.org_a1,
        reasons=["no_current_members", "no_inspection_two_years", "连续两年未参加年检"],
        flagged_on=datetime.date(2026, 5, 1),
    )
    client.force_login(county_admin)

    parser = VisibleText()
    parser.feed(client.get("/orgs/zombies/").content.decode())
    text = "\n".join(parser.parts)

    assert "无现有成员" in text and "近两年未参加年检" in text and "连续两年未参加年检" in text
    assert "no_current_members" not in text and "no_inspection_two_years" not in text
