"""The supervisor on a real asyncio loop with tiny backoffs: restarts, logging once, states, stopping."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

import pytest

from jitdesk.domain.errors import KnownError
from jitdesk.runtime.supervise import Supervisor, TaskState, TaskStatus


def tiny() -> Supervisor:
    """Millisecond backoffs (doubling to 4 ms) and never-healthy runs, so the growth is visible."""
    return Supervisor(backoff_initial_s=0.001, backoff_max_s=0.004, healthy_after_s=3600.0)


async def until(check: Callable[[], bool], what: str) -> None:
    """Wait (on the loop) until `check()` holds; a generous cap turns a hang into a plain failure."""
    for _ in range(5000):
        if check():
            return
        await asyncio.sleep(0.001)
    raise AssertionError(f"never happened: {what}")


def task_records(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "jitdesk.tasks" and r.levelno >= logging.INFO]


def test_a_crash_is_logged_once_with_traceback_and_the_task_restarts_with_backoff(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG, logger="jitdesk.tasks")
    runs = 0
    seen: list[TaskStatus] = []

    async def flaky() -> None:
        nonlocal runs
        runs += 1
        await asyncio.sleep(0)
        if runs <= 4:
            raise ValueError("disk says no")
        await asyncio.Event().wait()

    async def main() -> None:
        sup = tiny()
        sup.subscribe(seen.append)
        sup.start("worker", flaky)
        await until(lambda: runs == 5 and sup.status("worker").state is TaskState.RUNNING, "fifth run")  # type: ignore[union-attr]
        status = sup.status("worker")
        assert status is not None and status.restarts == 4
        await sup.stop()

    asyncio.run(main())
    errors = task_records(caplog)
    assert len(errors) == 1, [r.getMessage() for r in errors]
    assert errors[0].levelno == logging.ERROR and errors[0].exc_info is not None
    assert "worker" in errors[0].getMessage()
    restarting = [s for s in seen if s.state is TaskState.RESTARTING]
    assert [s.retry_in_s for s in restarting] == [0.001, 0.002, 0.004, 0.004]  # doubles, capped
    assert all(s.reason == "unexpected error (ValueError: disk says no); see the log" for s in restarting)
    assert seen[-1].state is TaskState.STOPPED and seen[-1].reason == "stopped"


def test_a_different_error_is_logged_again() -> None:
    runs = 0

    async def changing() -> None:
        nonlocal runs
        runs += 1
        raise RuntimeError(f"fault {min(runs, 2)}")

    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    handler = Keep(logging.ERROR)
    logger = logging.getLogger("jitdesk.tasks")
    logger.addHandler(handler)
    try:

        async def main() -> None:
            sup = tiny()
            sup.start("w", changing)
            await until(lambda: runs >= 6, "six runs")
            await sup.stop()

        asyncio.run(main())
    finally:
        logger.removeHandler(handler)
    assert [str(r.exc_info[1]) for r in records if r.exc_info] == ["fault 1", "fault 2"]


def test_known_error_is_a_warning_without_traceback(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="jitdesk.tasks")
    runs = 0

    async def offline() -> None:
        nonlocal runs
        runs += 1
        raise KnownError("the label printer is not answering")

    async def main() -> TaskStatus | None:
        sup = tiny()
        sup.start("printer", offline)
        await until(lambda: runs >= 3, "three runs")
        status = sup.status("printer")
        await sup.stop("printer", reason="shutting down")
        return status

    status = asyncio.run(main())
    assert status is not None and status.state in (TaskState.RESTARTING, TaskState.STARTING, TaskState.RUNNING)
    records = task_records(caplog)
    assert len(records) == 1
    assert records[0].levelno == logging.WARNING and records[0].exc_info is None
    assert "the label printer is not answering" in records[0].getMessage()


def test_restarting_shows_the_plain_reason_and_retry_time() -> None:
    async def offline() -> None:
        raise KnownError("the label printer is not answering")

    async def main() -> TaskStatus | None:
        sup = Supervisor(backoff_initial_s=30.0, backoff_max_s=60.0)
        sup.start("printer", offline)
        await until(lambda: sup.status("printer").state is TaskState.RESTARTING, "restarting")  # type: ignore[union-attr]
        status = sup.status("printer")
        await sup.stop("printer")
        return status

    status = asyncio.run(main())
    assert status is not None
    assert status == TaskStatus(
        "printer", TaskState.RESTARTING, "the label printer is not answering", 0, status.since_ms, 30.0
    )


def test_backoff_resets_after_a_healthy_run() -> None:
    seen: list[TaskStatus] = []
    runs = 0

    async def fails_after_a_while() -> None:
        nonlocal runs
        runs += 1
        await asyncio.sleep(0)
        raise KnownError("lost it")

    async def main() -> None:
        # healthy_after_s=0: every run counts as healthy, so the wait never grows.
        sup = Supervisor(backoff_initial_s=0.001, backoff_max_s=1.0, healthy_after_s=0.0)
        sup.subscribe(seen.append)
        sup.start("w", fails_after_a_while)
        await until(lambda: runs >= 5, "five runs")
        await sup.stop()

    asyncio.run(main())
    waits = [s.retry_in_s for s in seen if s.state is TaskState.RESTARTING]
    assert len(waits) >= 4 and set(waits) == {0.001}


def test_a_factory_that_returns_is_stopped_finished_and_not_restarted() -> None:
    runs = 0

    async def once() -> None:
        nonlocal runs
        runs += 1

    async def main() -> TaskStatus | None:
        sup = tiny()
        sup.start("once", once)
        await until(lambda: sup.status("once").state is TaskState.STOPPED, "stopped")  # type: ignore[union-attr]
        await asyncio.sleep(0.01)
        return sup.status("once")

    status = asyncio.run(main())
    assert runs == 1
    assert status is not None and (status.state, status.reason, status.restarts) == (TaskState.STOPPED, "finished", 0)


def test_stop_cancels_without_logging_an_error(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="jitdesk.tasks")
    cleaned_up: list[bool] = []

    async def forever() -> None:
        try:
            await asyncio.Event().wait()
        finally:
            cleaned_up.append(True)

    async def main() -> list[TaskStatus]:
        sup = tiny()
        sup.start("a", forever)
        sup.start("b", forever)
        await until(lambda: all(s.state is TaskState.RUNNING for s in sup.all()), "both running")
        await sup.stop("a", reason="asked to")
        assert sup.status("b").state is TaskState.RUNNING  # type: ignore[union-attr]
        await sup.stop(reason="app closing")
        return sup.all()

    statuses = asyncio.run(main())
    assert cleaned_up == [True, True]
    assert [(s.name, s.state, s.reason) for s in statuses] == [
        ("a", TaskState.STOPPED, "asked to"),
        ("b", TaskState.STOPPED, "app closing"),
    ]
    assert task_records(caplog) == []


def test_a_task_marks_its_own_state_and_subscribers_see_only_changes() -> None:
    seen: list[tuple[TaskState, str | None]] = []
    go_offline = asyncio.Event

    async def main() -> None:
        sup = tiny()
        offline = go_offline()

        async def sync() -> None:
            sup.mark("sync", TaskState.STARTING, "connecting")
            await asyncio.sleep(0)
            for _ in range(3):  # reporting the same thing again is not news
                sup.mark("sync", TaskState.RUNNING, "online")
                await asyncio.sleep(0)
            await offline.wait()
            sup.mark("sync", TaskState.RUNNING, "offline: server unreachable")
            await asyncio.Event().wait()

        unsubscribe = sup.subscribe(lambda s: seen.append((s.state, s.reason)))
        sup.start("sync", sync)
        await until(lambda: sup.status("sync").reason == "online", "online")  # type: ignore[union-attr]
        offline.set()
        await until(lambda: "offline" in (sup.status("sync").reason or ""), "offline")  # type: ignore[union-attr]
        unsubscribe()
        await sup.stop()

    asyncio.run(main())
    assert seen == [
        (TaskState.STARTING, None),
        (TaskState.STARTING, "connecting"),
        (TaskState.RUNNING, "online"),
        (TaskState.RUNNING, "offline: server unreachable"),
    ]


def test_a_late_mark_after_stop_does_not_revive_the_task() -> None:
    async def main() -> TaskStatus | None:
        sup = tiny()

        async def stubborn() -> None:
            try:
                await asyncio.Event().wait()
            finally:
                sup.mark("s", TaskState.RUNNING, "online")

        sup.start("s", stubborn)
        await until(lambda: sup.status("s").state is TaskState.RUNNING, "running")  # type: ignore[union-attr]
        await sup.stop("s")
        return sup.status("s")

    status = asyncio.run(main())
    assert status is not None and (status.state, status.reason) == (TaskState.STOPPED, "stopped")


def test_a_broken_listener_is_logged_and_others_still_hear(caplog: pytest.LogCaptureFixture) -> None:
    heard: list[TaskState] = []

    def broken(_: TaskStatus) -> None:
        raise ZeroDivisionError("listener bug")

    async def main() -> None:
        sup = tiny()
        sup.subscribe(broken)
        sup.subscribe(lambda s: heard.append(s.state))

        async def quick() -> None:
            await asyncio.sleep(0)

        sup.start("q", quick)
        await until(lambda: sup.status("q").state is TaskState.STOPPED, "stopped")  # type: ignore[union-attr]

    asyncio.run(main())
    assert heard[0] is TaskState.STARTING and heard[-1] is TaskState.STOPPED
    assert any("listener" in r.getMessage() and r.exc_info for r in caplog.records)


def test_starting_a_running_name_twice_is_refused() -> None:
    async def main() -> None:
        sup = tiny()
        sup.start("x", asyncio.Event().wait)  # type: ignore[arg-type]
        with pytest.raises(RuntimeError, match="already running"):
            sup.start("x", asyncio.Event().wait)  # type: ignore[arg-type]
        await sup.stop()

    asyncio.run(main())
