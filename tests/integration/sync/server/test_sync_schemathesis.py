"""Schemathesis against the OpenAPI description of a real server process: no 5xx, no response that
breaks the described schema, for valid and invalid requests alike."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from tests.helpers.sync_server import ServerProcess, make_token


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ServerProcess, str]]:
    where = tmp_path_factory.mktemp("schemathesis")
    db = str(where / "server.db")
    token = make_token(db, "P1", "fuzzer", "admin")
    server = ServerProcess(db, where, ["--max-wait", "0.3"]).start()
    try:
        yield server, token
    finally:
        server.stop()


EXAMPLES = int(os.environ.get("JITDESK_SCHEMATHESIS_EXAMPLES", "60"))


@pytest.fixture(scope="module")
def api_schema(api: tuple[ServerProcess, str]) -> Any:
    return schemathesis.openapi.from_url(api[0].url + "/openapi.json")


# schemathesis' own pytest plugin does not run under pytest 9, so each operation's strategy is driven
# by hypothesis directly: the same generation and the same checks.
@pytest.mark.parametrize("mode", list(schemathesis.GenerationMode), ids=lambda m: m.value)
def test_the_api_keeps_its_description(api: tuple[ServerProcess, str], mode: Any) -> None:
    server, token = api
    schema = schemathesis.openapi.from_url(server.url + "/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert {op.label for op in operations} >= {"GET /v1/health", "GET /v1/hello", "POST /v1/events",
                                               "GET /v1/events"}
    for operation in operations:
        if mode == schemathesis.GenerationMode.NEGATIVE and operation.label == "GET /v1/health":
            continue  # no parameters and no body: nothing to make invalid

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(max_examples=EXAMPLES, suppress_health_check=list(HealthCheck), deadline=None, database=None)
        def check(case: Any) -> None:
            # The device token goes on every case except those meant to test a missing or bad one.
            if schema.is_security_param_negated(case):
                case.call_and_validate()
            else:
                case.call_and_validate(headers={"Authorization": f"Bearer {token}"})

        check()
