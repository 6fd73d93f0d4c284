"""gkaudit serve: the web service over the audit database (application layer; all SQL stays in store/).

app.py wires it; policy.py decides who may do what; security.py guards sessions, CSRF and headers; auth.py,
pages.py and admin.py are the pages. A new group of pages (the ledger's items) is one more router module.
"""
