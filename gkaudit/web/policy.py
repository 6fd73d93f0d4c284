"""Who may do what: the one place gkaudit serve decides authorisation (role × action × site).

Routes ask `decide(account, action, site)` and nothing else. An action the role may never do is 403 (forbidden);
a site outside the user's scope — or one that does not exist — is 404, so a webmaster cannot learn which other
sites exist. A new page (a ledger item, say) adds its action here, with the site its object belongs to.
"""
from __future__ import annotations

from enum import Enum

from store.overview import SiteInfo
from store.users import Account

# action → the roles that may do it. Actions on a site are further limited to the user's scope (SITE_ACTIONS).
POLICY: dict[str, frozenset[str]] = {
    "dashboard.view": frozenset({"admin", "supervisor", "webmaster", "readonly"}),
    "site.view": frozenset({"admin", "supervisor", "webmaster", "readonly"}),
    "runs.view": frozenset({"admin", "supervisor", "readonly"}),
    "users.manage": frozenset({"admin"}),
    # the 整改台账: an item belongs to its site; the bureau reports back, the supervisor decides
    "ledger.view": frozenset({"admin", "supervisor", "webmaster", "readonly"}),
    "item.view": frozenset({"admin", "supervisor", "webmaster", "readonly"}),
    "item.comment": frozenset({"admin", "supervisor", "webmaster"}),
    "item.feedback": frozenset({"webmaster"}),  # 「已整改，申请复查」
    "item.dispute": frozenset({"webmaster"}),  # 「误报申诉」
    "item.decide": frozenset({"supervisor"}),  # accept (→ waived) or reject a dispute
    "item.waive": frozenset({"supervisor"}),
    "audits.view": frozenset({"admin", "supervisor"}),  # the recheck queue
    "audits.recheck": frozenset({"admin", "supervisor"}),  # run a site's recheck now
    "audits.run": frozenset({"admin", "supervisor"}),  # run a job of the schedules file now (decide_job)
    "tokens.manage": frozenset({"admin", "supervisor", "webmaster", "readonly"}),  # one's own API tokens
    "api.check": frozenset({"admin", "supervisor", "webmaster", "readonly"}),  # POST /api/v1/check: no site's data
}
SITE_ACTIONS = frozenset({"site.view", "item.view", "item.comment", "item.feedback", "item.dispute", "item.decide",
                          "item.waive", "audits.recheck"})


class Decision(Enum):
    ALLOW = 200
    FORBIDDEN = 403
    NOT_FOUND = 404


def in_scope(account: Account, site: SiteInfo) -> bool:
    """The sites a user answers for: all of them (管理员, 只读), those of their supervising units (监管员), their own
    (网站管理员)."""
    if account.role in ("admin", "readonly"):
        return True
    if account.role == "supervisor":
        return site.supervisor is not None and site.supervisor in account.supervisors
    if account.role == "webmaster":
        return site.site in account.sites
    return False


def decide(account: Account, action: str, site: SiteInfo | None = None) -> Decision:
    if action not in POLICY:
        raise KeyError(f"unknown action {action}")  # a route naming an action the policy does not know is a bug
    if account.disabled or account.role not in POLICY[action]:
        return Decision.FORBIDDEN
    if action in SITE_ACTIONS and (site is None or not in_scope(account, site)):
        return Decision.NOT_FOUND
    return Decision.ALLOW


def decide_job(account: Account, sites: list[SiteInfo]) -> Decision:
    """A job of the schedules file crawls many sites: a supervisor may run it only when every one is theirs
    (otherwise, as for a site outside their scope, the job does not exist for them)."""
    allowed = decide(account, "audits.run")
    if allowed is not Decision.ALLOW or all(in_scope(account, s) for s in sites):
        return allowed
    return Decision.NOT_FOUND


def visible(account: Account, sites: dict[str, SiteInfo]) -> dict[str, SiteInfo]:
    """The sites of `sites` the user may see (the dashboard and the run list show only these)."""
    return {k: s for k, s in sites.items() if decide(account, "site.view", s) is Decision.ALLOW}
