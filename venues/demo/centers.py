"""The demo centres and stations, their rooms, opening hours and closures."""

from __future__ import annotations

import datetime
from collections import defaultdict

from accounts.models import User
from areas.models import Community, Township
from venues.demo.patterns import (
    BATCH_SIZE,
    CENTER_PATTERNS,
    CENTER_ROOMS,
    PATTERNS,
    SPRING_FESTIVALS,
    STATION_PATTERNS,
    STATION_ROOMS,
    T,
)
from venues.models import Closure, OpeningHours, Room, ServiceCenter


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
