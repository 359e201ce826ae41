"""A contract fuzzer over the service's OpenAPI description (schemathesis): for each operation
and each identity (no key, then a key per role), up to `examples` generated requests that
follow the schema (positive) and a fifth as many that break it (negative), sent to a real
`tm serve`. No answer may be a 5xx, and every answer with a documented status must match its
response schema. (An operation with few distinct inputs, `GET /health`, gets fewer cases:
hypothesis stops once it has tried them all.)"""

from __future__ import annotations

import contextlib
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

from stress.report import Row
from stress.server import Server, serve, tm

DATA = Path("tests/data")
OUT = Path("build/stress")


def _fuzz(
    server: Server,
    operation: Any,
    mode: Any,
    count: int,
    headers: dict[str, str],
    wanted: list[Any],
    problems: list[str],
) -> tuple[int, int]:
    """Up to `count` cases of one operation in one mode with one identity's headers: (cases
    sent, failures); each failure is described in `problems` (the first 200)."""
    import hypothesis
    import schemathesis
    from hypothesis import HealthCheck, Phase

    sent = failed = 0
    identity = headers.get("Authorization", "no key")[-6:]

    @hypothesis.settings(
        max_examples=count,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @hypothesis.given(case=operation.as_strategy(generation_mode=mode))
    def send(case: schemathesis.Case) -> None:
        nonlocal sent, failed
        sent += 1
        try:
            response = case.call(
                base_url=f"http://127.0.0.1:{server.port}", headers=headers, timeout=60
            )
            case.validate_response(response, checks=wanted)
        except (Exception, BaseExceptionGroup) as failure:  # a Failure, or a group of them
            failed += 1
            if len(problems) < 200:
                lines = [line.strip() for line in str(failure).splitlines() if line.strip()]
                problems.append(
                    f"{operation.label} [{identity}, {mode.value}]: "
                    f"{' / '.join(lines[:4])[:300]} | {case.as_curl_command()[:400]}"
                )

    # (Unsatisfiable: no such input, as a route without parameters has no negative case)
    with contextlib.suppress(hypothesis.errors.Unsatisfiable):
        send()
    return sent, failed


def _probe(server: Server, examples: int) -> tuple[list[Row], list[str]]:
    import schemathesis
    from schemathesis import GenerationMode, checks

    schema = schemathesis.openapi.from_url(f"http://127.0.0.1:{server.port}/openapi.json")
    wanted = [checks.not_a_server_error, checks.response_schema_conformance]
    rows: list[Row] = []
    problems: list[str] = []
    identities: dict[str, dict[str, str]] = {"no key": {}} | {
        role: {"Authorization": f"Bearer {key}"} for role, key in server.keys.items()
    }
    for result in schema.get_all_operations():
        operation = result.ok()
        cases: Counter[str] = Counter()
        failures: Counter[str] = Counter()
        for identity, headers in identities.items():
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                count = examples if mode is GenerationMode.POSITIVE else max(1, examples // 5)
                seen, failed = _fuzz(server, operation, mode, count, headers, wanted, problems)
                cases[identity] += seen
                failures[identity] += failed
        least = min(cases.values())
        rows.append(
            Row(
                "contract",
                operation.label,
                f"{sum(cases.values()):,} cases ({least:,}+ per identity), "
                f"{sum(failures.values())} failures",
                "0 × 5xx, 0 schema violations",
                sum(failures.values()) == 0,
            )
        )
    return rows, problems


def run(work: Path, *, examples: int = 500) -> list[Row]:
    """Serve a TM of the test fixtures and fuzz every operation with every identity."""
    try:
        import schemathesis  # noqa: F401
    except ImportError:
        missing = "schemathesis not installed (pip install -e '.[stress]')"
        return [Row("contract", "all operations", missing, "", False, skipped=True)]
    db = work / "contract.db"
    tm(db, "import", str(DATA / "sample.tmx"), "--no-score")
    tm(db, "glossary", "import", str(DATA / "glossary.csv"), "--author", "stress")
    with serve(db, log=work / "contract-server.log") as server:
        rows, problems = _probe(server, examples)
    if problems:  # kept for reading after the run
        OUT.mkdir(parents=True, exist_ok=True)
        (OUT / "contract-failures.txt").write_text("\n".join(problems) + "\n")
        shutil.copy(work / "contract-server.log", OUT / "contract-server.log")
    return rows
