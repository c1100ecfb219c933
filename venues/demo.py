"""Demo venues: the county's Party-mass service centres and stations, rooms and bookings.

County scale: one township-level 党群服务中心 per township (20) and a community 党群服务站 in 46
communities: 66 centres, 2–4 rooms each, varied opening hours (all week; weekdays with a
monthly residents' open day; weekends only; evenings and weekends), the Spring Festival week
closed, a few rooms under repair, and a year of bookings plus the next four weeks. City and
province scale the centres with the townships and keep fewer weeks of history.

Bookings are laid out per room by walking each open day's ranges, so no two blocking bookings
of a room ever overlap; rows are written with bulk_create. Deterministic for a seed and a day.
"""

from __future__ import annotations

import datetime
import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from areas.models import Community, Township
from core.bulk import copy_create
from core.demo import loading
from orgs.models import Organization
from venues import rules
from venues.models import Booking, BookingSeries, Closure, OpeningHours, Room, ServiceCenter

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


@dataclass
class _Plan:
    """Bookings gathered in Python and written in chunks, so the province fits in memory."""

    pending: list[Booking] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    series_count: int = 0

    def add(self, bookings: list[Booking]) -> None:
        self.pending.extend(bookings)
        if len(self.pending) >= FLUSH_EVERY:
            self.flush()

    def flush(self) -> None:
        copy_create(Booking, self.pending, batch_size=BATCH_SIZE)
        self.statuses.update(booking.status for booking in self.pending)
        self.pending = []

    @property
    def total(self) -> int:
        return sum(self.statuses.values())


def _station_communities(townships, communities_by_township, first_community_id) -> list:
    """About 2.3 stations per township: 3 in three of every ten townships, 2 elsewhere."""
    chosen = []
    for index, township in enumerate(townships):
        communities = communities_by_township.get(township.pk, [])
        count = 3 if index % 10 < 3 else 2
        chosen.extend(communities[:count])
    if first_community_id and all(c.pk != first_community_id for c in chosen):
        chosen.insert(
            0,
            next(
                c
                for cs in communities_by_township.values()
                for c in cs
                if c.pk == first_community_id
            ),
        )
    return chosen


def _person_name(rng) -> str:
    return rng.choice("王李张刘陈杨赵黄周吴") + rng.choice(
        ["建华", "秀英", "丽娟", "国强", "海燕", "志刚", "桂兰", "明辉", "春梅", "德胜"]
    )


def _centers(rng) -> tuple[list[ServiceCenter], dict[int, str]]:
    townships = list(Township.objects.order_by("code"))
    communities_by_township: dict[int, list[Community]] = defaultdict(list)
    for community in Community.objects.order_by("code"):
        communities_by_township[community.township_id].append(community)
    secretary = User.objects.filter(username="secretary").first()
    first_community_id = secretary.community_id if secretary else None
    centers, patterns = [], []
    for township in townships:
        pattern = rng.choice(CENTER_PATTERNS)
        centers.append(
            ServiceCenter(
                name=f"{township.name}党群服务中心",
                kind=ServiceCenter.Kind.CENTER,
                township=township,
                community=None,
                address=f"平安县{township.name}政府院内",
                contact_name=_person_name(rng),
                contact_phone=f"0431-8{rng.randint(1000000, 9999999)}",
                opening_note=PATTERNS[pattern][1],
            )
        )
        patterns.append(pattern)
    for community in _station_communities(townships, communities_by_township, first_community_id):
        pattern = "all_week" if community.pk == first_community_id else rng.choice(STATION_PATTERNS)
        centers.append(
            ServiceCenter(
                name=f"{community.name}党群服务站",
                kind=ServiceCenter.Kind.STATION,
                township_id=community.township_id,
                community=community,
                address=community.address or f"{community.name}居委会一楼",
                contact_name=_person_name(rng),
                contact_phone=f"139{rng.randint(10000000, 99999999)}",
                opening_note=PATTERNS[pattern][1],
            )
        )
        patterns.append(pattern)
    ServiceCenter.objects.bulk_create(centers, batch_size=BATCH_SIZE)
    saved = list(ServiceCenter.objects.order_by("pk"))
    return saved, {center.pk: pattern for center, pattern in zip(saved, patterns, strict=True)}


def _rooms(centers, rng) -> list[Room]:
    rooms = []
    for center in centers:
        templates = CENTER_ROOMS if center.kind == ServiceCenter.Kind.CENTER else STATION_ROOMS
        count = rng.randint(3, 4) if center.kind == ServiceCenter.Kind.CENTER else rng.randint(2, 3)
        for name, kind, (low, high), approval, quota, facilities in templates[:count]:
            rooms.append(
                Room(
                    center=center,
                    name=name,
                    kind=kind,
                    capacity=rng.randrange(low, high + 1, 5),
                    facilities=facilities,
                    needs_approval=approval,
                    weekly_quota_hours=quota,
                )
            )
    Room.objects.bulk_create(rooms, batch_size=BATCH_SIZE)
    return list(Room.objects.select_related("center").order_by("pk"))


def _first_saturdays(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    days = []
    month = first.replace(day=1)
    while month <= last:
        saturday = month + datetime.timedelta(days=(5 - month.weekday()) % 7)
        if first <= saturday <= last:
            days.append(saturday)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return days


def _hours_and_closures(centers, patterns, rooms, first, last, rng) -> None:
    hours, closures = [], []
    festivals = [
        day
        for day in SPRING_FESTIVALS.values()
        if first <= day <= last + datetime.timedelta(days=7)
    ]
    open_days = _first_saturdays(first, last + datetime.timedelta(days=31))
    for center in centers:
        weekly, _note, has_open_day = PATTERNS[patterns[center.pk]]
        for weekday, ranges in weekly.items():
            hours.extend(
                OpeningHours(center=center, weekday=weekday, opens=opens, closes=closes)
                for opens, closes in ranges
            )
        for festival in festivals:
            closures.append(
                Closure(
                    center=center,
                    starts_on=festival - datetime.timedelta(days=1),
                    ends_on=festival + datetime.timedelta(days=5),
                    reason="春节假期闭馆",
                )
            )
        if has_open_day:
            closures.extend(
                Closure(
                    center=center,
                    kind=Closure.Kind.SPECIAL_OPEN,
                    starts_on=day,
                    ends_on=day,
                    opens=T(9),
                    closes=T(17),
                    reason="居民开放日",
                )
                for day in open_days
            )
    # A few rooms are under repair for a week, in the past and coming weeks.
    for room in rng.sample(rooms, k=max(1, len(rooms) // 25)):
        start = first + datetime.timedelta(days=rng.randrange(max(1, (last - first).days)))
        closures.append(
            Closure(
                center_id=room.center_id,
                room=room,
                starts_on=start,
                ends_on=start + datetime.timedelta(days=rng.randint(2, 6)),
                reason=rng.choice(["设备检修", "墙面粉刷", "更换地板", "空调维修"]),
            )
        )
    OpeningHours.objects.bulk_create(hours, batch_size=BATCH_SIZE)
    Closure.objects.bulk_create(closures, batch_size=BATCH_SIZE)


class _Booker:
    """Chooses organisations, users and statuses for the bookings of one room."""

    def __init__(self, rng, today, now):
        self.rng = rng
        self.today = today
        self.now = now
        orgs_by_community: dict[int, list[int]] = defaultdict(list)
        orgs_by_township: dict[int, list[int]] = defaultdict(list)
        for pk, community_id, township_id in (
            Organization.objects.active()
            .values_list("pk", "community_id", "community__township_id")
            .order_by("pk")
        ):
            orgs_by_community[community_id].append(pk)
            orgs_by_township[township_id].append(pk)
        self.orgs_by_community = orgs_by_community
        self.orgs_by_township = orgs_by_township
        users = {user.username: user for user in User.objects.exclude(role="")}
        self.admin = users.get("admin") or User.objects.filter(is_superuser=True).first()
        self.contact = users.get("contact")
        self.secretary = users.get("secretary")
        # Minutes booked per (room, organisation, Monday), to keep within weekly quotas.
        self.week_minutes: Counter = Counter()
        self.staff_by_township = {
            user.township_id: user
            for user in User.objects.filter(role=Role.TOWNSHIP_STAFF).order_by("pk")
        }

    def organisations(self, room: Room) -> list[int]:
        center = room.center
        if center.community_id and self.orgs_by_community.get(center.community_id):
            nearby = self.orgs_by_community[center.community_id]
            return nearby + self.orgs_by_township.get(center.township_id, [])[:10]
        return self.orgs_by_township.get(center.township_id, [])

    def within_quota(self, room: Room, organization_id: int, start, end) -> bool:
        """Whether the organisation stays within the room's weekly quota; counts it if so."""
        minutes = int((end - start).total_seconds() // 60)
        key = (room.pk, organization_id, rules.week_start_of(rules.to_local(start).date()))
        if (
            room.weekly_quota_hours
            and self.week_minutes[key] + minutes > room.weekly_quota_hours * 60
        ):
            return False
        self.week_minutes[key] += minutes
        return True

    def booked_by(self, room: Room, organization_id: int) -> User:
        if self.contact and organization_id == self.contact.organization_id:
            return self.contact
        if self.secretary and room.center.community_id == self.secretary.community_id:
            return self.secretary
        return self.staff_by_township.get(room.center.township_id, self.admin)

    def decider(self, room: Room) -> User:
        if self.secretary and room.center.community_id == self.secretary.community_id:
            return self.secretary
        return self.staff_by_township.get(room.center.township_id, self.admin)

    def decide(self, booking: Booking, room: Room) -> None:
        """Give the booking a status fitting its time: history is mostly used."""
        rng = self.rng
        roll = rng.random()
        decider = self.decider(room)
        if booking.end <= self.now:
            if roll < 0.76:
                status = Booking.Status.USED
            elif roll < 0.84:
                status = Booking.Status.CANCELLED
            elif roll < 0.89:
                status = Booking.Status.NO_SHOW
            elif roll < 0.93 and room.needs_approval:
                status = Booking.Status.REJECTED
            else:
                status = Booking.Status.CONFIRMED
        elif booking.start <= self.now:
            status = Booking.Status.CONFIRMED
        elif roll < 0.06:
            status = Booking.Status.CANCELLED
        elif room.needs_approval and roll < 0.45:
            status = Booking.Status.PENDING
        else:
            status = Booking.Status.CONFIRMED
        booking.status = status
        if status == Booking.Status.CANCELLED:
            booking.cancelled_by = booking.booked_by
            booking.cancel_reason = rng.choice(CANCEL_REASONS)
        elif status == Booking.Status.REJECTED:
            booking.decided_by = decider
            booking.decided_at = booking.start - datetime.timedelta(days=rng.randint(1, 5))
            booking.decision_reason = rng.choice(REJECT_REASONS)
        elif status in (Booking.Status.USED, Booking.Status.NO_SHOW):
            booking.decided_by = decider
            booking.decided_at = booking.end + datetime.timedelta(hours=rng.randint(1, 30))
        elif status == Booking.Status.CONFIRMED and room.needs_approval:
            booking.decided_by = decider
            booking.decided_at = min(self.now, booking.start - datetime.timedelta(days=1))


def _room_calendar(room, weekly_by_center, closures_by_center):
    weekly = weekly_by_center[room.center_id]
    closures = [c for c in closures_by_center[room.center_id] if c.room_id in (None, room.pk)]
    return weekly, closures


def _free_ranges(day, weekly, closures, taken):
    hours = rules.day_hours(day, weekly, closures)
    open_ranges = [(rules.at(day, opens), rules.at(day, closes)) for opens, closes in hours.ranges]
    return rules.subtract(open_ranges, taken)


def _plan_series(booker, rooms, weekly_by_center, closures_by_center, first, last, plan, taken):
    """Weekly rehearsals: one series in about a fifth of the rehearsal halls and activity rooms."""
    rng = booker.rng
    candidates = [room for room in rooms if room.kind in (Room.Kind.REHEARSAL, Room.Kind.ACTIVITY)]
    showcase = [
        r
        for r in candidates
        if booker.secretary and r.center.community_id == booker.secretary.community_id
    ]
    planned = []
    chosen = showcase[:1] + [
        room for room in candidates if rng.random() < 0.2 and room not in showcase
    ]
    for room in chosen:
        organisations = booker.organisations(room)
        if not organisations:
            continue
        organization_id = organisations[0] if room in showcase else rng.choice(organisations)
        if room in showcase and booker.contact:
            organization_id = booker.contact.organization_id
        weekly, closures = _room_calendar(room, weekly_by_center, closures_by_center)
        evenings = [
            day
            for day, ranges in weekly.items()
            if any(c >= T(21) and o <= T(19) for o, c in ranges)
        ]
        if not evenings:
            continue
        weekday = rng.choice(evenings)
        first_date = max(first, last - datetime.timedelta(weeks=16))
        booked_by = booker.booked_by(room, organization_id)
        series = BookingSeries(
            room=room,
            organization_id=organization_id,
            booked_by=booked_by,
            purpose=rng.choice(PURPOSES[room.kind]),
            weekday=weekday,
            start_time=T(19),
            end_time=T(21),
            first_date=first_date,
            last_date=last,
        )
        occurrences = []
        for day in rules.weekly_dates(first_date, last, weekday):
            start, end = rules.at(day, T(19)), rules.at(day, T(21))
            free = _free_ranges(day, weekly, closures, taken[room.pk][day])
            if not any(s <= start and end <= e for s, e in free):
                continue
            if not booker.within_quota(room, organization_id, start, end):
                continue
            booking = Booking(
                room=room,
                organization_id=organization_id,
                booked_by=booked_by,
                purpose=series.purpose,
                start=start,
                end=end,
                expected_attendance=max(1, min(room.capacity, rng.randint(12, 30))),
            )
            booker.decide(booking, room)
            occurrences.append(booking)
            taken[room.pk][day].append((start, end))
        if occurrences:
            planned.append((series, occurrences))
    BookingSeries.objects.bulk_create([series for series, _ in planned], batch_size=BATCH_SIZE)
    for series, occurrences in planned:
        for booking in occurrences:
            booking.series = series
        plan.add(occurrences)
    plan.series_count = len(planned)


def _plan_bookings(
    booker, rooms, weekly_by_center, closures_by_center, first, last, density, plan, taken
):
    """Walk each room's open days and fill some free ranges with bookings of 1–3 hours."""
    rng = booker.rng
    for room in rooms:
        organisations = booker.organisations(room)
        if not organisations:
            continue
        weekly, closures = _room_calendar(room, weekly_by_center, closures_by_center)
        busy_room = rng.random() < 0.3
        room_bookings = []
        for day in rules.days_between(first, last + datetime.timedelta(days=1)):
            wanted = density * (1.8 if busy_room else 1.0) * (1.4 if day.weekday() >= 5 else 1.0)
            count = int(wanted) + (1 if rng.random() < wanted - int(wanted) else 0)
            if not count:
                continue
            free = _free_ranges(day, weekly, closures, taken[room.pk][day])
            for _ in range(count):
                if not free:
                    break
                start_range, end_range = rng.choice(free)
                start = start_range.replace(minute=0) + (
                    datetime.timedelta(hours=1) if start_range.minute else datetime.timedelta(0)
                )
                hours = rng.choice([1, 1, 2, 2, 2, 3])
                slots = int((end_range - start).total_seconds() // 3600) - hours + 1
                if slots <= 0:
                    free.remove((start_range, end_range))
                    continue
                start += datetime.timedelta(hours=rng.randrange(slots))
                end = start + datetime.timedelta(hours=hours)
                organization_id = rng.choice(organisations)
                if not booker.within_quota(room, organization_id, start, end):
                    continue
                booking = Booking(
                    room=room,
                    organization_id=organization_id,
                    booked_by=booker.booked_by(room, organization_id),
                    purpose=rng.choice(PURPOSES[room.kind]),
                    start=start,
                    end=end,
                    expected_attendance=max(1, min(room.capacity, rng.randint(8, room.capacity))),
                )
                booker.decide(booking, room)
                room_bookings.append(booking)
                taken[room.pk][day].append((start, end))
                free = rules.subtract(free, [(start, end)])
        _ensure_pending_for_the_secretary(booker, room, room_bookings)
        plan.add(room_bookings)
        taken.pop(room.pk, None)


def _ensure_pending_for_the_secretary(booker, room: Room, bookings: list[Booking]) -> None:
    """The demo secretary finds bookings to approve: future ones of their station wait."""
    if not booker.secretary or room.center.community_id != booker.secretary.community_id:
        return
    if not room.needs_approval:
        return
    upcoming = [
        booking
        for booking in bookings
        if booking.start > booker.now and booking.status in Booking.BLOCKING_STATUSES
    ]
    for booking in upcoming[: max(3, len(upcoming) // 2)]:
        booking.status = Booking.Status.PENDING
        booking.decided_by = None
        booking.decided_at = None


def seed_venues(context) -> None:
    """Create the centres, rooms, opening hours, closures and a history of bookings."""
    rng = random.Random(f"venues-{context.seed}")
    now = timezone.now()
    today = timezone.localdate()
    first = today - datetime.timedelta(weeks=HISTORY_WEEKS[context.scale])
    last = today + datetime.timedelta(weeks=FUTURE_WEEKS)
    centers, patterns = _centers(rng)
    rooms = _rooms(centers, rng)
    centers_by_pk = {center.pk: center for center in centers}
    for room in rooms:
        room.center = centers_by_pk[room.center_id]
    _hours_and_closures(centers, patterns, rooms, first, last, rng)

    weekly_by_center: dict[int, dict[int, list]] = defaultdict(lambda: defaultdict(list))
    for row in OpeningHours.objects.order_by("center_id", "weekday", "opens"):
        weekly_by_center[row.center_id][row.weekday].append((row.opens, row.closes))
    closures_by_center: dict[int, list[Closure]] = defaultdict(list)
    for closure in Closure.objects.order_by("pk"):
        closures_by_center[closure.center_id].append(closure)

    booker = _Booker(rng, today, now)
    plan = _Plan()
    taken: dict[int, dict[datetime.date, list]] = defaultdict(lambda: defaultdict(list))
    with loading(context, Booking):
        _plan_series(booker, rooms, weekly_by_center, closures_by_center, first, last, plan, taken)
        _plan_bookings(
            booker,
            rooms,
            weekly_by_center,
            closures_by_center,
            first,
            last,
            DAILY_BOOKINGS[context.scale],
            plan,
            taken,
        )
        plan.flush()

    statuses = plan.statuses
    township_centers = sum(1 for center in centers if center.kind == ServiceCenter.Kind.CENTER)
    context.made["service_centers"] = centers
    context.summary += [
        f"{len(centers)} 个党群服务中心/站（街道/乡镇中心 {township_centers} 个，"
        f"社区/村服务站 {len(centers) - township_centers} 个），{len(rooms)} 个场地",
        f"{plan.total} 条场地预约（其中 {plan.series_count} 个每周固定预约）："
        f"已使用 {statuses[Booking.Status.USED]}，已确认 {statuses[Booking.Status.CONFIRMED]}，"
        f"待审核 {statuses[Booking.Status.PENDING]}，已取消 {statuses[Booking.Status.CANCELLED]}，"
        f"未到场 {statuses[Booking.Status.NO_SHOW]}，已拒绝 {statuses[Booking.Status.REJECTED]}",
    ]
