"""The ranking and awards workbooks a county official hands to a county leader (issue 14).

The ranking workbook opens on a summary (汇总: the counts, the top ten of the county and of
each category, a line per township), then the ranking sheets (the county, each category and
each township the user can see, the exported tab first) with the columns a leader reads, and
a detail sheet (明细) with the figures and the explanation of every score. Every sheet prints
landscape, one page wide, with the county's name and the title in the page header.

The ranking page's query string narrows it: quarter, scope, category, township and q (name).
The summary is computed with a bounded number of aggregate queries; the ranking and detail
sheets stream from `.iterator()`.

One module per part: `columns`, `summary`, `ranking`, `awards`.
"""

from scoring.sheets.awards import awards_ledger
from scoring.sheets.ranking import RankingWorkbook, ranking_ledger

__all__ = ["RankingWorkbook", "awards_ledger", "ranking_ledger"]
