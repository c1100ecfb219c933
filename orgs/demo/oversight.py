"""The demo ledger's oversight: inspections, zombie flags and credit listings."""

from __future__ import annotations

from datetime import date, timedelta

from orgs.demo.plan import (
    _Chunk,
    _Plan,
)
from orgs.demo.pools import (
    CONCLUSION_WEIGHTS,
    CONCLUSIONS,
    INSPECTION_NOTES,
    LISTING_REASONS,
    NO_CURRENT_MEMBERS,
    NO_INSPECTION_TWO_YEARS,
)
from orgs.models import (
    AnnualInspection,
    CreditListing,
    Organization,
    ZombieFlag,
)
from orgs.services.oversight import (
    ZOMBIE_REASON_NO_MEMBERS,
    ZOMBIE_REASON_NOT_INSPECTED,
    in_ledger_language,
)


class OversightWriter:
    """Inspections, flags and listings of a `_LedgerWriter` (mixed into it)."""

    def zombie_reason(self, code: str) -> str:
        """The reason's text as the zombie scan stores it (the ledger's language)."""
        if code == NO_CURRENT_MEMBERS:
            return in_ledger_language(ZOMBIE_REASON_NO_MEMBERS)
        first, second = self.inspection_years
        return in_ledger_language(ZOMBIE_REASON_NOT_INSPECTED, first=first, second=second)

    def oversight(self, chunk: _Chunk, org: Organization, plan: _Plan) -> None:
        """Add annual inspections and credit listings (registered groups) and a zombie flag."""
        rng = self.rng
        if plan.zombie:
            chunk.flags.append(
                ZombieFlag(
                    organization=org,
                    reasons=[self.zombie_reason(plan.zombie)],
                    flagged_on=self.today - timedelta(days=rng.randint(1, 45)),
                )
            )
        if plan.registration != Organization.RegistrationStatus.REGISTERED:
            return
        for year in self.inspection_years:
            if org.registered_on.year > year:
                continue
            conclusion = rng.choices(CONCLUSIONS, weights=CONCLUSION_WEIGHTS)[0]
            if plan.zombie == NO_INSPECTION_TWO_YEARS:
                conclusion = AnnualInspection.Conclusion.NOT_INSPECTED
            inspected_on = None
            if conclusion != AnnualInspection.Conclusion.NOT_INSPECTED:
                inspected_on = min(
                    self.between(date(year + 1, 3, 1), date(year + 1, 6, 30)),
                    self.today - timedelta(days=1),
                )
            chunk.inspections.append(
                AnnualInspection(
                    organization=org,
                    year=year,
                    conclusion=conclusion,
                    inspected_on=inspected_on,
                    notes=INSPECTION_NOTES.get(conclusion, ""),
                )
            )
            failing = conclusion in {
                AnnualInspection.Conclusion.FAILED,
                AnnualInspection.Conclusion.NOT_INSPECTED,
            }
            if failing and (plan.zombie or rng.random() < 0.8):
                listed_on = self.between(date(year + 1, 7, 1), date(year + 1, 9, 30))
                self.listing(chunk, org, LISTING_REASONS[0], listed_on, removable=not plan.zombie)
        if not plan.zombie and rng.random() < 0.04:
            listed_on = self.today - timedelta(days=rng.randint(20, 700))
            self.listing(chunk, org, rng.choice(LISTING_REASONS[1:]), listed_on, removable=True)

    def listing(self, chunk, org, reason: str, listed_on: date, *, removable: bool) -> None:
        """Put the organisation on the abnormal list; some were removed after rectifying."""
        rng = self.rng
        yesterday = self.today - timedelta(days=1)
        listed_on = min(listed_on, yesterday)
        if chunk.listings and chunk.listings[-1].organization is org:
            return  # one listing per organisation is enough for the demo
        listing = CreditListing(
            organization=org,
            list_kind=CreditListing.Kind.ABNORMAL,
            reason=reason,
            needs_rectification=rng.random() < 0.6,
            listed_on=listed_on,
        )
        if removable and rng.random() < 0.5 and listed_on + timedelta(days=30) < yesterday:
            listing.removed_on = self.between(
                listed_on + timedelta(days=30), min(listed_on + timedelta(days=150), yesterday)
            )
            listing.removal_reason = "已按要求完成整改，经申请移出活动异常名录"
        chunk.listings.append(listing)
