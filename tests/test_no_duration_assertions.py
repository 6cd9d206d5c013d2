"""No test asserts a wall-clock duration: on a busy machine it fails for nothing (timings belong
in benchmarks/; a test asserts the work done, or bounds a time by clock readings around the call)."""

import ast
from pathlib import Path

CLOCKS = {"perf_counter", "perf_counter_ns", "monotonic", "monotonic_ns", "process_time", "time", "now"}
TESTS = Path(__file__).resolve().parent


def _reads_clock(node, tainted):
    for child in ast.walk(node):
        if isinstance(child, ast.Call):
            func = child.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in CLOCKS:
                return True
        if isinstance(child, ast.Name) and child.id in tainted:
            return True
    return False


def _is_offset(node):
    """``now - timedelta(days=3)``, ``time.time() - 3600``: a moment, not a duration."""
    if isinstance(node, ast.Constant):
        return True
    func = getattr(node, "func", None)
    return (
        isinstance(node, ast.Call) and (getattr(func, "attr", "") or getattr(func, "id", "")) == "timedelta"
    )


def _has_duration(node, clocks, durations):
    for child in ast.walk(node):
        if isinstance(child, ast.Name) and child.id in durations:
            return True
        if isinstance(child, ast.BinOp) and isinstance(child.op, ast.Sub) and not _is_offset(child.right):
            if _reads_clock(child.left, clocks) or _reads_clock(child.right, clocks):
                return True
    return False


def _assignments(function):
    """(targets, value) of ``x = …``, ``x += …`` and ``x.append(…)`` in the function."""
    for node in ast.walk(function):
        if isinstance(node, ast.Assign):
            yield node.targets, node.value
        elif isinstance(node, (ast.AnnAssign, ast.AugAssign)) and node.value is not None:
            yield [node.target], node.value
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("append", "extend")
            and node.args
        ):
            yield [node.func.value], node.args[0]


def duration_assertions(source):
    """Line numbers of the asserts of ``source`` that compare a clock difference."""
    found = []
    for function in ast.walk(ast.parse(source)):
        if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        clocks, durations = set(), set()
        for targets, value in _assignments(function):
            names = {t.id for target in targets for t in ast.walk(target) if isinstance(t, ast.Name)}
            if _has_duration(value, clocks, durations):
                durations |= names
            elif _reads_clock(value, set()):
                clocks |= names
        found += [
            node.lineno
            for node in ast.walk(function)
            if isinstance(node, ast.Assert) and _has_duration(node.test, clocks, durations)
        ]
    return found


def test_no_test_asserts_a_wall_clock_duration():
    offenders = [
        f"{path.relative_to(TESTS)}:{line}"
        for path in sorted(TESTS.rglob("*.py"))
        if "node_modules" not in path.parts
        for line in duration_assertions(path.read_text())
    ]
    assert offenders == []


def test_the_duration_check_sees_timings_and_spares_moments():
    below = "<"  # not written inline: a plain grep for timing asserts would take this sample for one
    timing = f"def t():\n    start = time.perf_counter()\n    run()\n    assert time.perf_counter() - start {below} 0.005\n"
    delay = (
        "def t():\n    d = [(r.at - timezone.now()).total_seconds() for r in rows]\n    assert d == [60]\n"
    )
    appended = (
        "def t():\n    d = []\n    d.append(round((r.at - timezone.now()).seconds))\n    assert d == [5]\n"
    )
    moment = "def t():\n    old = timezone.now() - timedelta(days=3)\n    assert purge(old) == 1\n"
    window = (
        "def t():\n    before = time.time()\n    sent = send()\n    assert before <= sent <= time.time()\n"
    )
    assert duration_assertions(timing) == [4] and duration_assertions(delay) == [3]
    assert duration_assertions(appended) == [4]
    assert duration_assertions(moment) == duration_assertions(window) == []
