"""The hostile-input proof of ``internhost check``'s JSON reader (issue 11, item 7),
as ``tests/core/test_hostile_input.py`` is the services'.

``internhost check`` itself runs (``cli.main`` with the case on standard input, text
or bytes, or in a file) on a full case with one field made hostile, a key added, the
text mangled or bytes instead of text. Whatever it is fed, it must either return a
result (exit 0 or 1, nothing on stderr) or exit 2 with one line naming a field path,
or the line and column where the text is not JSON; never a traceback, never exit 1
on facts it could not read. A value no field can take (NaN, Infinity, 1e400, 5,000
digits, deep nesting, a date in 9999, a megabyte of text, a control character)
must be refused by exactly that field's path, or its line and column.
"""

from __future__ import annotations

import copy
import io
import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rulecase import SCHOOL_5H, case, day_shift, shift

from internhost import cli

#: Every field a case can hold, most of them set (a task with details, a break, a
#: certificate's hours, a driver, both calendars), so every reader is reached. Through
#: JSON once, so no two fields share one object.
FULL = case(
    [
        shift(
            "2025-10-18T09:00",
            "2025-10-18T13:00",
            breaks=[("10:00", "10:15")],
            tasks=[
                "office_clerical",
                {
                    "task": "office_clerical",
                    "minutes": 30,
                    "direct_supervision": True,
                    "vehicle_gvw_lb": 3000.0,
                    "trips": 1,
                    "passengers": 0,
                    "radius_miles": 5,
                },
            ],
            supervisor_21_or_older=True,
        ),
        day_shift("2025-10-20", "15:00", "17:00"),
    ],
    school_days={"2025-10-20": SCHOOL_5H},
    attended_school_days={"2025-10-20": SCHOOL_5H},
    intern={
        "certificate_hours": [{"days": ["mon", "Saturday"], "start": "07:00", "end": "19:00"}],
        "driver": {"licensed": False, "driver_ed_completed": False, "moving_violations": False},
        "documents": {
            "il_employment_certificate": True,
            "student_learner_agreement": False,
            "apprentice_registration": False,
        },
    },
)
FULL = json.loads(json.dumps(FULL))
PLACEHOLDER = "@@hostile@@"
#: Written raw into the text: not JSON at all (refused with the line and column).
NOT_JSON = ("NaN", "Infinity", "-Infinity")
#: Written raw: JSON that Python's parser takes too far (too deep to read at all).
TOO_DEEP = ("[" * 100_000, "[" * 3_000 + "]" * 3_000, '{"a":' * 2_000 + "1" + "}" * 2_000)
#: Written raw: numbers no field takes (Python reads them as infinity, or gives up).
HUGE = ("1e400", "-1e400", "9" * 5000, "-" + "9" * 5000, "1" + "0" * 4299)
#: JSON values no field takes: a date out of every range, text no reader matches.
NO_FIELD_TAKES = (
    "x" * 1_000_000,
    "9999-12-31",
    "9999-12-31T23:59",
    "0001-01-01T00:00",
    "2025-02-30",
    "I\x00L",
    "of\u202efice_clerical",
    "\ud800",
)
#: How a refusal names a field: ``shifts[0].tasks[1].minutes``, ``['odd key']``.
_SEGMENT = r"""\[(?:\d+|'.*?'|".*?")(?:…\([\d,]+ characters\))?\]"""
FIELD_PATH = re.compile(rf"(?:[A-Za-z0-9_-]+|{_SEGMENT})(?:\.[A-Za-z0-9_-]+|{_SEGMENT})*: ")


@dataclass(frozen=True)
class Field:
    where: tuple[Any, ...]
    #: How ``internhost check`` names it: ``shifts[0].tasks[1].minutes``.
    path: str


def _fields(value: Any, where: tuple[Any, ...] = (), path: str = "") -> Iterator[Field]:
    items = value.items() if isinstance(value, dict) else enumerate(value)
    for key, item in items:
        here = f"{path}[{key}]" if isinstance(key, int) else (f"{path}.{key}" if path else key)
        yield Field((*where, key), here)
        if isinstance(item, dict | list):
            yield from _fields(item, (*where, key), here)


def _get(data: Any, where: tuple[Any, ...]) -> Any:
    for key in where:
        data = data[key]
    return data


FIELDS = tuple(_fields(FULL))
OBJECTS = (Field((), ""), *(f for f in FIELDS if isinstance(_get(FULL, f.where), dict)))


def _with(data: dict[str, Any], where: tuple[Any, ...], value: Any) -> dict[str, Any]:
    out = copy.deepcopy(data)
    _get(out, where[:-1])[where[-1]] = value
    return out


def _text(data: Any, indent: int | None, raw: str | None = None) -> str:
    text = json.dumps(data, indent=indent)  # escapes a lone surrogate, as JSON may
    if raw is None:
        return text
    assert text.count(f'"{PLACEHOLDER}"') == 1
    return text.replace(f'"{PLACEHOLDER}"', raw)


def _line_column(text: str, position: int) -> str:
    before = text[:position]
    return f"line {before.count(chr(10)) + 1}, column {position - before.rfind(chr(10))}"


# -- running the command


@dataclass(frozen=True)
class Outcome:
    code: int
    out: str
    err: str

    @property
    def message(self) -> str:
        """The one line of a refusal, without ``internhost: ``."""
        lines = self.err.splitlines()
        assert len(lines) == 1 and lines[0].startswith("internhost: "), self.err[:2000]
        assert "Traceback" not in self.err
        return lines[0].removeprefix("internhost: ")

    @property
    def path(self) -> str:
        return self.message.split(": ", 1)[0]


def run_check(capsys: Any, channel: str, payload: str | bytes, folder: Path) -> Outcome:
    """``internhost check`` on ``payload``: text or bytes on standard input, or a file."""
    old = sys.stdin
    args = ["check"]
    data = payload.encode("utf-8", "surrogatepass") if isinstance(payload, str) else payload
    if channel == "file":
        target = folder / "case.json"
        target.write_bytes(data)
        args.append(str(target))
        sys.stdin = io.StringIO("")
    elif channel == "bytes":
        sys.stdin = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8")
    else:
        sys.stdin = io.StringIO(payload if isinstance(payload, str) else data.decode("latin-1"))
    try:
        code = cli.main(args)  # an exception here is a crash: the test fails with it
    finally:
        sys.stdin = old
    captured = capsys.readouterr()
    return Outcome(code, captured.out, captured.err)


def assert_well_formed(o: Outcome) -> None:
    """A result, or one line naming a field path or where the text is not JSON."""
    if o.code in (0, 1):
        assert o.err == "", o.err[:2000]
        assert "Rule packs:" in o.out
        return
    assert o.code == 2, (o.code, o.err[:2000])
    assert o.out == ""
    message = o.message
    if message.startswith("not valid JSON: "):
        assert re.search(r"at line \d+, column \d+$", message), message
    elif not re.search(r" is (larger than \d+ MB|not UTF-8 text)", message):
        assert message.startswith("the case ") or FIELD_PATH.match(message), message


SETTINGS = settings(
    max_examples=300,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
CHANNELS = st.sampled_from(("text", "bytes", "file"))


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("check-hostile")


def test_the_full_case_is_read(capsys, folder: Path) -> None:
    for channel in ("text", "bytes", "file"):
        o = run_check(capsys, channel, _text(FULL, 2), folder)
        assert o.code in (0, 1) and o.err == "", o.err


# -- the properties


@SETTINGS
@given(
    field=st.sampled_from(FIELDS),
    token=st.sampled_from(NOT_JSON + TOO_DEEP),
    indent=st.sampled_from((None, 2)),
    channel=CHANNELS,
)
def test_what_is_not_json_is_refused_where_it_stands(
    capsys, folder: Path, field: Field, token: str, indent: int | None, channel: str
) -> None:
    text = _text(_with(FULL, field.where, PLACEHOLDER), indent, token)
    o = run_check(capsys, channel, text, folder)
    assert o.code == 2, (field.path, o.code, o.out[:500])
    if token in NOT_JSON:
        where = _line_column(text, text.index(token))
        assert o.message == f"not valid JSON: {token} is not a number JSON allows at {where}"
    else:
        assert "nested too deeply" in o.message
        assert re.search(r"at line \d+, column \d+$", o.message), o.message


@SETTINGS
@given(
    field=st.sampled_from(FIELDS),
    value=st.one_of(
        st.sampled_from(HUGE).map(lambda raw: ("raw", raw)),
        st.sampled_from(NO_FIELD_TAKES).map(lambda v: ("value", v)),
    ),
    indent=st.sampled_from((None, 2)),
    channel=CHANNELS,
)
def test_a_value_no_field_takes_is_refused_by_its_path(
    capsys, folder: Path, field: Field, value: tuple[str, str], indent: int | None, channel: str
) -> None:
    kind, content = value
    if kind == "raw":
        text = _text(_with(FULL, field.where, PLACEHOLDER), indent, content)
    else:
        text = _text(_with(FULL, field.where, content), indent)
    o = run_check(capsys, channel, text, folder)
    assert o.code == 2, (field.path, content[:40], o.code, o.out[:500])
    assert o.path == field.path, o.message[:300]


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20)
    | st.sampled_from(("2025-10-18", "2025-10-18T11:00", "12:00", "sun", "office_clerical")),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)


@SETTINGS
@given(field=st.sampled_from(FIELDS), value=JSON_VALUES, channel=CHANNELS)
def test_any_value_in_any_field_gives_a_result_or_names_the_field(
    capsys, folder: Path, field: Field, value: Any, channel: str
) -> None:
    o = run_check(capsys, channel, _text(_with(FULL, field.where, value), None), folder)
    assert_well_formed(o)
    if o.code == 2:
        assert _may_name(field.path, o.path), (field.path, o.message[:300])


def _may_name(changed: str, named: str) -> bool:
    """Whether a refusal after a change of ``changed`` may name ``named``: the field
    itself or a part of it; or, for a shift's times or the time zone, any shift (now
    overlapping, a break outside it, a time skipped by daylight saving) or the birth
    date (the intern's age on the shift's date)."""
    if named.startswith(changed):
        return True
    about_shifts = changed.startswith(("shifts[", "worksite_tz"))
    return about_shifts and named.startswith(("shifts[", "intern.birth_date"))


@SETTINGS
@given(obj=st.sampled_from(OBJECTS), key=st.text(max_size=30), channel=CHANNELS)
def test_an_unknown_key_is_refused_by_its_path(
    capsys, folder: Path, obj: Field, key: str, channel: str
) -> None:
    key += "~"  # no field's name: unknown wherever it goes
    data = copy.deepcopy(FULL)
    _get(data, obj.where)[key] = 1
    o = run_check(capsys, channel, _text(data, 2), folder)
    assert o.code == 2
    assert o.message.startswith(obj.path), o.message[:300]


@SETTINGS
@given(
    edits=st.lists(
        st.tuples(st.floats(0, 1), st.integers(0, 3), st.text(max_size=3)), min_size=1, max_size=4
    ),
    indent=st.sampled_from((None, 2)),
    channel=CHANNELS,
)
def test_mangled_text_gives_a_result_or_says_where(
    capsys, folder: Path, edits: list[tuple[float, int, str]], indent: int | None, channel: str
) -> None:
    text = _text(FULL, indent)
    for at, cut, insert in edits:
        i = int(at * len(text))
        text = text[:i] + insert + text[i + cut :]
    assert_well_formed(run_check(capsys, channel, text, folder))


@SETTINGS
@given(
    payload=st.one_of(
        st.binary(max_size=200),
        st.sampled_from(
            (b"", b"\xef\xbb\xbf", b"\xff\xfe{\x00}\x00", b"\x00" * 10, b'{"intern": "\xc3"}')
        ),
        st.integers(1, 400).map(lambda n: _text(FULL, 2).encode()[:n]),
    ),
    channel=st.sampled_from(("bytes", "file")),
)
def test_bytes_give_a_result_or_a_one_line_refusal(
    capsys, folder: Path, payload: bytes, channel: str
) -> None:
    assert_well_formed(run_check(capsys, channel, payload, folder))
