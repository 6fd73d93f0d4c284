"""`make demo` prints a demo supervisor and webmaster (scripts/demo.py demo_accounts): the printed passwords sign
in, each account answers for the scope it says, and no password is stored in clear."""
from __future__ import annotations

import re

from sqlalchemy import text

from scripts.demo import demo_accounts
from store import connect
from store.users import check_password, list_users


def test_the_printed_accounts_sign_in_with_their_scope(tmp_path):
    db = f"sqlite:///{tmp_path / 'demo.db'}"
    lines = demo_accounts(db)
    assert lines[0].startswith("网页服务演示账号")
    printed = dict(re.findall(r"用户名 (\S+)  密码 (\S+)（", "\n".join(lines)))
    assert set(printed) == {"demo-jianguan", "demo-zhanzhang"}
    assert "监管员：用户名 demo-jianguan" in lines[1] and "网站管理员：用户名 demo-zhanzhang" in lines[2]
    engine = connect(db)
    for name, password in printed.items():
        assert check_password(engine, name, password, "127.0.0.1") is not None
    accounts = {u.name: u for u in list_users(engine)}
    assert accounts["demo-jianguan"].supervisors == {"江南省生态环境厅"}
    assert accounts["demo-zhanzhang"].sites == {"sthjj-hanweb"}
    with engine.connect() as conn:
        stored = conn.execute(text("select password_hash from webuser")).scalars().all()
    assert not any(p in h for h in stored for p in printed.values())
    engine.dispose()
