"""How a command ends when it does not end well (issue 22): Ctrl-C and SIGTERM stop it alike and are acknowledged
at once; a failure is one Chinese line (the traceback only with -v); a run whose reports failed says so and how to
write them again. Exit codes: 1 for a failure, 130 for a stop (2, usage errors, is gkaudit.preflight's)."""
from __future__ import annotations

import os
import signal
import sys
import traceback
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:  # imported by the commands that crawl or report, not by every command
    from gkaudit.pipeline import ReportError

STOPPED = 130
_stopping = ""  # crawler.runner.STOPPING, once stop_like_ctrl_c() installed the handler


def stop_like_ctrl_c() -> None:
    """From now on SIGTERM (`timeout`, systemd, kill) stops this command as Ctrl-C does, said at once on stderr.
    During a crawl Scrapy's own handler takes over (crawler.runner) and puts this one back afterwards."""
    global _stopping
    from crawler.runner import STOPPING as _stopping  # before a signal comes: the handler only writes it
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, _interrupt)


def _interrupt(signum, frame):
    signal.signal(signal.SIGINT, signal.default_int_handler)  # a second Ctrl-C while we mark the run: stop now
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        os.write(2, _stopping.encode("utf-8"))
    except OSError:
        pass
    raise KeyboardInterrupt


def verbose() -> bool:
    """-v / --verbose anywhere on the command line: show tracebacks."""
    return any(arg in ("-v", "--verbose") for arg in sys.argv[1:])


def _say(text: str) -> None:
    click.echo(text, err=True)


def interrupted() -> None:
    """Ctrl-C or SIGTERM outside the crawl (the crawl's own stop is reported by the command)."""
    _say("已停止：已保存的数据保留；正在进行的运行标记为未完成（可用 gkaudit audit --resume 运行编号 继续）。")
    sys.exit(STOPPED)


def report_failed(exc: ReportError, out_dir, db_url: str | None) -> None:
    """Judging or writing reports failed: the run is stored incomplete; say which command writes them again."""
    resume = f"gkaudit audit --resume {exc.run_id} --out {out_dir}" + (f" --db {db_url}" if db_url else "")
    if verbose() and exc.detail:
        _say(exc.detail.rstrip())
    _say(f"报告未能生成：{exc}")
    _say(f"运行 {exc.run_id} 已标记为未完成（抓取的数据保留）；排除问题后用 {resume} 重新检查并生成报告。")
    sys.exit(1)


def unexpected(exc: Exception) -> None:
    """Anything no command handles: one line in Chinese, exit 1; the traceback only with -v. Click's own
    exceptions (usage errors, --help) pass through."""
    if isinstance(exc, (click.ClickException, click.exceptions.Exit, click.Abort)):
        raise exc
    if verbose():
        traceback.print_exception(exc)
    detail = getattr(exc, "remote_traceback", "")
    if verbose() and detail:
        _say(detail.rstrip())
    _say(f"出错：{type(exc).__name__}: {exc}" + ("" if verbose() else "（加 -v 显示详细信息）"))
    sys.exit(1)
