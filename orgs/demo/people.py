"""The demo ledger's people: dates, names, ID numbers, members reused across groups."""

from __future__ import annotations

from datetime import date, timedelta

from areas.models import Community
from core.identifiers import credit_code_check_char, id_number_check_char
from orgs.demo.pools import (
    AREA_CODE,
    FEMALE_CHARS,
    GRID_ROLE_WEIGHTS,
    GRID_ROLES,
    LEGAL_FORM_CODES,
    MALE_CHARS,
    SURNAME_WEIGHTS,
    SURNAMES,
)
from orgs.models import (
    Person,
)


class PeopleWriter:
    """Dates and people of a `_LedgerWriter` (mixed into it)."""

    # --- dates ---

    def between(self, start: date, end: date) -> date:
        if end <= start:
            return start
        return start + timedelta(days=self.rng.randint(0, (end - start).days))

    def founded_on(self, latest: date) -> date:
        days_back = int(self.rng.triangular(0, 365 * 17, 365 * 4))
        return latest - timedelta(days=days_back)

    # --- people ---

    def person(self, community: Community, *, with_mobile: bool = False) -> Person:
        rng = self.rng
        male = rng.random() < 0.42
        chars = MALE_CHARS if male else FEMALE_CHARS
        given = rng.choice(chars) + (rng.choice(chars) if rng.random() < 0.7 else "")
        surname = rng.choices(SURNAMES, cum_weights=SURNAME_WEIGHTS)[0]
        year = min(2005, int(rng.triangular(1940, 2006, 1960)))
        born = date(year, 1, 1) + timedelta(days=rng.randrange(365))
        id_number = self.id_number(born, male) if rng.random() < 0.92 else ""
        mobile = ""
        if with_mobile or rng.random() < 0.88:
            mobile = f"1{rng.choice('3456789')}{rng.randrange(10**9):09d}"
        home = community
        if rng.random() < 0.15:
            home = rng.choice(self.by_township[community.township_id])
        person = Person(
            name=surname + given,
            gender=Person.Gender.MALE if male else Person.Gender.FEMALE,
            id_number=id_number,
            birth_date=born if id_number or rng.random() < 0.5 else None,
            mobile=mobile,
            community_id=home.pk,
        )
        if rng.random() < 0.08:
            person.is_party_member = True
            full = rng.random() < 0.9
            person.party_status = (
                Person.PartyStatus.FULL if full else Person.PartyStatus.PROBATIONARY
            )
            person.party_relation_place = rng.choice(
                [f"{home.name}党支部", f"{home.township.name}机关党支部", "平安县退休干部党支部"]
            )
        if rng.random() < 0.04:
            person.grid_role = rng.choices(GRID_ROLES, weights=GRID_ROLE_WEIGHTS)[0]
            person.grid_community_id = home.pk
        self.counts["people"] += 1
        return person

    def id_number(self, born: date, male: bool) -> str:
        """Return a unique valid ID number whose 17th digit gives the gender."""
        while True:
            sequence = self.rng.randrange(500) * 2 + (1 if male else 0)
            key = born.toordinal() * 1000 + sequence
            if key not in self.used_ids:
                break
        self.used_ids.add(key)
        first17 = f"{AREA_CODE}{born:%Y%m%d}{sequence:03d}"
        return first17 + id_number_check_char(first17)

    def member(self, community: Community, taken: set[int], chunk_people: dict) -> Person | int:
        """Return a new person or, now and then, one already in another group of the township.

        `taken` holds who is already in the organisation: the pk of a person of an earlier chunk,
        or id() of a person not yet saved (object ids are far above any pk).
        """
        township_id = community.township_id
        if self.rng.random() < self.reuse:
            earlier = self.earlier_people[township_id]
            current = chunk_people[township_id]
            total = len(earlier) + len(current)
            for _ in range(3 if total else 0):
                index = self.rng.randrange(total)
                if index < len(earlier):
                    ref, key = earlier[index], earlier[index]
                else:
                    ref = current[index - len(earlier)]
                    key = id(ref)
                if key not in taken:
                    taken.add(key)
                    return ref
        person = self.person(community)
        chunk_people[township_id].append(person)
        taken.add(id(person))
        return person

    # --- organisations ---

    def credit_code(self, legal_form: str) -> str:
        self.credit_serial += 1
        first17 = f"5{LEGAL_FORM_CODES[legal_form]}{AREA_CODE}MJ{self.credit_serial:07d}"
        return first17 + credit_code_check_char(first17)
