"""Network probes of each site after its crawl: HTTPS (GUIDE-14) and IPv6 (GUIDE-10).

They observe what the pages cannot show — the certificate, whether http:// leads to https://, the HSTS header,
the AAAA records of the host and what answers over IPv6 — and store it per site and run (store.models.SiteNetwork)
for the rules to judge. What the auditing host lacks (an IPv6 route, a CA) is recorded beside what the site did, so
a rule can tell "the site has no IPv6" from "this host cannot see IPv6".
"""
