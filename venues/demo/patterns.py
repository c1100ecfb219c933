"""The demo venues' sizes, opening patterns, rooms and phrases."""

from __future__ import annotations

import datetime

from venues.models import Room

BATCH_SIZE = 2000
FLUSH_EVERY = 20_000
T = datetime.time

# Weeks of booking history and of future bookings, by scale.
HISTORY_WEEKS = {"county": 52, "city": 12, "province": 4}
FUTURE_WEEKS = 4
# Bookings a room gets on an open day, on average (the province keeps it lighter).
DAILY_BOOKINGS = {"county": 0.6, "city": 0.5, "province": 0.4}

# Spring Festival (春节) by year: the centres close from its eve for a week.
SPRING_FESTIVALS = {
    2024: datetime.date(2024, 2, 10),
    2025: datetime.date(2025, 1, 29),
    2026: datetime.date(2026, 2, 17),
    2027: datetime.date(2027, 2, 6),
    2028: datetime.date(2028, 1, 26),
    2029: datetime.date(2029, 2, 13),
    2030: datetime.date(2030, 2, 3),
    2031: datetime.date(2031, 1, 23),
    2032: datetime.date(2032, 2, 11),
}

# Opening patterns: weekday -> ranges, a note, and whether a monthly open day is held.
WEEKDAYS = range(5)
WEEKEND = (5, 6)
PATTERNS = {
    "all_week": (
        {day: [(T(8, 30), T(21))] for day in range(7)},
        "全天开放：周一至周日 8:30–21:00",
        False,
    ),
    "weekdays_open_day": (
        {day: [(T(8, 30), T(12)), (T(14), T(21))] for day in WEEKDAYS},
        "周一至周五 8:30–12:00、14:00–21:00；每月第一个周六为居民开放日",
        True,
    ),
    "weekends_only": (
        {day: [(T(8, 30), T(18))] for day in WEEKEND},
        "仅周末开放：周六、周日 8:30–18:00",
        False,
    ),
    "evenings_weekends": (
        {
            **{day: [(T(18), T(21))] for day in WEEKDAYS},
            **{day: [(T(8, 30), T(21))] for day in WEEKEND},
        },
        "工作日晚间 18:00–21:00，周末 8:30–21:00",
        False,
    ),
}
CENTER_PATTERNS = ["all_week", "all_week", "weekdays_open_day"]
STATION_PATTERNS = ["all_week", "weekdays_open_day", "weekends_only", "evenings_weekends"]

# (name, kind, capacity range, needs approval, weekly quota hours, facilities)
CENTER_ROOMS = [
    ("多功能厅", Room.Kind.MULTI_PURPOSE, (120, 200), True, 8, "舞台、音响、投影、200 把折叠椅"),
    ("会议室", Room.Kind.MEETING, (30, 50), True, None, "会议桌、投影、话筒"),
    ("活动室", Room.Kind.ACTIVITY, (40, 60), False, None, "桌椅、书画台、乒乓球台"),
    ("文化广场", Room.Kind.SQUARE, (300, 500), True, 10, "户外音箱、照明"),
]
STATION_ROOMS = [
    ("活动室", Room.Kind.ACTIVITY, (30, 50), False, None, "桌椅、书画台"),
    ("会议室", Room.Kind.MEETING, (15, 30), True, None, "会议桌、电视"),
    ("排练厅", Room.Kind.REHEARSAL, (30, 60), True, 6, "镜墙、把杆、音响"),
    ("小广场", Room.Kind.SQUARE, (100, 200), False, 8, "户外音箱"),
]
PURPOSES = {
    Room.Kind.MULTI_PURPOSE: ["文艺汇演", "专题讲座", "表彰大会", "健康知识讲座", "端午联欢会"],
    Room.Kind.MEETING: ["理事会会议", "居民议事会", "志愿者培训", "工作例会", "调解协商会"],
    Room.Kind.ACTIVITY: ["书法练习", "棋牌活动", "手工课堂", "读书分享", "义诊咨询", "助学辅导"],
    Room.Kind.SQUARE: ["广场舞排练", "太极拳晨练", "消防演练", "便民服务日", "反诈宣传"],
    Room.Kind.REHEARSAL: ["合唱排练", "舞蹈排练", "戏曲排练", "民乐合奏", "模特队排练"],
}
REJECT_REASONS = ["当天已安排党员活动", "场地维修", "人数超出场地承载", "请改约其他时段"]
CANCEL_REASONS = ["天气原因", "活动改期", "人员不齐", "临时有事"]
