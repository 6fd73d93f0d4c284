"""The ground floor: what every layer of gkaudit needs and nothing above it.

Sites and the sites file, YAML with line numbers, where the data folders live, the vocabularies with their
Chinese labels, the column catalog, the crawl options, the official working-day calendar, what a file link
is, and the per-site worker pool. Nothing here imports store, crawler, checks, reports or gkaudit
(`lint-imports` enforces the floors; see CONTRIBUTING.md).
"""
