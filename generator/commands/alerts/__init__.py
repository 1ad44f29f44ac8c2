"""`runbookgen alerts`: alerting rules and runbooks, one contract.

`rules` reads rule files with positions, `links` judges a `runbook_url` against the site the
runbooks make, `check` reports, `annotate` writes the URLs in place.
"""
