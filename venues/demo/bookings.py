"""The demo bookings: single and in series, decided as a secretary would."""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from accounts.models import User
from accounts.roles import Role
from core.bulk import copy_create
from orgs.models import Organization
from venues import rules
from venues.demo.patterns import (
    BATCH_SIZE,
    CANCEL_REASONS,
    FLUSH_EVERY,
    PURPOSES,
    REJECT_REASONS,
    T,
)
from venues.models import Booking, BookingSeries, Room


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
        occurrences = _series_occurrences(booker, room, series, weekly, closures, taken)
        if occurrences:
            planned.append((series, occurrences))
    BookingSeries.objects.bulk_create([series for series, _ in planned], batch_size=BATCH_SIZE)
    for series, occurrences in planned:
        for booking in occurrences:
            booking.series = series
        plan.add(occurrences)
    plan.series_count = len(planned)


def _series_occurrences(booker, room, series, weekly, closures, taken) -> list[Booking]:
    """The series' weekly evenings that are free and within the organisation's quota, each
    decided as the room's approver would."""
    occurrences = []
    for day in rules.weekly_dates(series.first_date, series.last_date, series.weekday):
        start, end = rules.at(day, T(19)), rules.at(day, T(21))
        free = _free_ranges(day, weekly, closures, taken[room.pk][day])
        if not any(s <= start and end <= e for s, e in free):
            continue
        if not booker.within_quota(room, series.organization_id, start, end):
            continue
        booking = Booking(
            room=room,
            organization_id=series.organization_id,
            booked_by=series.booked_by,
            purpose=series.purpose,
            start=start,
            end=end,
            expected_attendance=max(1, min(room.capacity, booker.rng.randint(12, 30))),
        )
        booker.decide(booking, room)
        occurrences.append(booking)
        taken[room.pk][day].append((start, end))
    return occurrences


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
