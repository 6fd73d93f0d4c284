"""`gkaudit users add/list/disable`, run as an administrator would: Chinese messages, exit 2 on bad input, the
password never stored in clear."""
from __future__ import annotations

from sqlalchemy import create_engine, text

from tests.conftest import gkaudit

PASSWORD = "correct horse battery"


def add(db, *args, password=PASSWORD):
    return gkaudit("users", "add", *args, "--password-stdin", "--db", db, input=password + "\n")


def test_add_list_disable(tmp_path):
    db = f"sqlite:///{tmp_path / 'gk.db'}"
    done = add(db, "zhang", "--role", "webmaster", "--site", "a", "--site", "b", "--display", "张三")
    assert done.returncode == 0, done.stderr
    assert "已添加用户 zhang（网站管理员：a、b）" in done.stderr
    assert add(db, "li", "--role", "supervisor", "--supervisor", "省生态环境厅").returncode == 0
    listed = gkaudit("users", "list", "--db", db)
    assert listed.returncode == 0
    assert "zhang" in listed.stdout and "张三" in listed.stdout and "网站管理员" in listed.stdout
    assert "监管员" in listed.stdout and "省生态环境厅" in listed.stdout and "正常" in listed.stdout
    stopped = gkaudit("users", "disable", "zhang", "--db", db)
    assert stopped.returncode == 0 and "已停用用户 zhang" in stopped.stderr
    assert "已停用" in gkaudit("users", "list", "--db", db).stdout
    with create_engine(db).connect() as conn:
        stored = conn.execute(text("select password_hash from webuser where name = 'zhang'")).scalar()
        log = conn.execute(text("select action, target from auditlog order by id")).all()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    assert [a for a, _ in log] == ["user_add", "user_add", "user_disable"]


def test_the_password_prompt_asks_twice(tmp_path):
    db = f"sqlite:///{tmp_path / 'gk.db'}"
    done = gkaudit("users", "add", "root", "--role", "admin", "--db", db, input=f"{PASSWORD}\n{PASSWORD}\n")
    assert done.returncode == 0, done.stderr
    assert "密码" in done.stderr and "再次输入密码" in done.stderr


def test_bad_input_is_refused_in_chinese_with_exit_2(tmp_path):
    db = f"sqlite:///{tmp_path / 'gk.db'}"
    assert add(db, "root", "--role", "admin").returncode == 0
    cases = [
        (("x", "--role", "boss"), "未知角色 boss"),
        (("x", "--role", "webmaster"), "网站管理员至少要指定一个站点"),
        (("x", "--role", "supervisor"), "监管员至少要指定一个主管单位"),
        (("x", "--role", "readonly", "--site", "a"), "--site 只用于网站管理员"),
        (("root", "--role", "admin"), "用户 root 已存在"),
    ]
    for args, message in cases:
        refused = add(db, *args)
        assert refused.returncode == 2 and message in refused.stderr, (args, refused.stderr)
    short = add(db, "y", "--role", "admin", password="short")
    assert short.returncode == 2 and "密码至少 8 个字符" in short.stderr
    unknown = gkaudit("users", "disable", "nobody", "--db", db)
    assert unknown.returncode == 2 and "没有用户 nobody" in unknown.stderr and "root" in unknown.stderr
    assert "y" not in gkaudit("users", "list", "--db", db).stdout.split()
