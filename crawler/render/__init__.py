"""Pages as a browser shows them (issue 21): which pages need rendering (need.py), and a bounded headless chromium
that renders them (browser.py), reached through a downloader middleware (middleware.py)."""
