"""gkaudit: compliance-checking crawler for Chinese government websites (the application floor: command line,
the audit / recheck / scheduled-job pipeline, scheduler, probes, Scrapyd)."""

__version__ = "0.1.0"
