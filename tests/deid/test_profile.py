"""Profiles: built-ins resolve, every kind of error is reported at once with file:line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from dcmscrub.deid.profile import Profile
from dcmscrub.deid.profile_load import render_profile
from dcmscrub.deid.selector import check_value_for_vr, parse_selector
from dcmscrub.errors import ExitCode, ProfileError
from dcmscrub.profiles import check_profiles, list_builtin_profiles, load_profile
from dcmscrub.standard.options import OPTIONS

REPO = Path(__file__).resolve().parents[2]


def write(tmp_path: Path, text: str, name: str = "p.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def problems(path: Path) -> list[tuple[int | None, str]]:
    with pytest.raises(ProfileError) as info:
        load_profile(str(path))
    assert info.value.exit_code == ExitCode.CONFIG
    return [(p.line, p.message) for p in info.value.problems]


# -- built-ins ----------------------------------------------------------------------------


def test_builtin_profiles_are_listed_and_valid() -> None:
    names = [n for n, _ in list_builtin_profiles()]
    assert {"basic", "research-longitudinal", "limited-data-set"} <= set(names)
    assert not [n for n in names if n.startswith("table-")]
    for name in names:
        profile = load_profile(name)
        assert profile.name == name
        assert profile.description


def test_research_longitudinal_resolves_its_options_and_inherits_rules() -> None:
    p = load_profile("research-longitudinal")
    assert p.options == {
        "retain-long-modified-dates",
        "retain-patient-characteristics",
        "retain-safe-private",
        "clean-descriptors",
    }
    assert [r.selector.text for r in p.rules] == ["PatientID", "PatientName", "AccessionNumber"]
    assert p.chain == ("builtin:basic", "builtin:research-longitudinal")
    assert p.private_default == "keep-safe"


def test_command_line_options_are_added() -> None:
    p = load_profile("basic", ["clean-descriptors", "retain-uids"])
    assert p.options == {"clean-descriptors", "retain-uids"}
    assert p.declared_options == frozenset()


def test_profile_sha256_changes_with_any_file_of_the_chain(tmp_path: Path) -> None:
    a = write(tmp_path, "version: 1\nname: a\nextends: basic\n")
    first = load_profile(str(a)).sha256
    a.write_text("version: 1\nname: a\nextends: basic\ndescription: changed\n")
    assert load_profile(str(a)).sha256 != first


def test_generated_tables_are_fresh() -> None:
    result = subprocess.run(
        [sys.executable, str(REPO / "tools" / "gen_annex_e.py"), "--check"], capture_output=True
    )
    assert result.returncode == 0, result.stderr.decode()


def test_render_profile_is_yaml_that_names_every_rule_source() -> None:
    text = render_profile(load_profile("research-longitudinal"))
    data = yaml.safe_load(text)
    assert data["name"] == "research-longitudinal"
    assert "retain-safe-private" in data["options"]
    first_rule = next(line for line in text.splitlines() if line.startswith("  - "))
    assert first_rule.endswith("# builtin:basic:12") and "select: PatientID" in first_rule
    assert "# resolved from: builtin:basic, builtin:research-longitudinal" in text


def semantics(profile: Profile) -> tuple[object, ...]:
    rules = tuple((r.selector.text, r.selector.creator, r.action, r.value) for r in profile.rules)
    return (
        profile.options,
        rules,
        profile.private_default,
        profile.pseudonyms,
        profile.burned_in,
        profile.escrow_recipients,
        (profile.text.clean, profile.text.terms()),
    )


@pytest.mark.parametrize(
    ("ref", "extra"),
    [
        *((name, ()) for name, _ in list_builtin_profiles()),
        ("research-longitudinal", ("retain-uids",)),
        (str(REPO / "profiles" / "example-site.yaml"), ()),
        (str(REPO / "profiles" / "strict-no-dates.yaml"), ()),
    ],
)
def test_profile_show_output_is_itself_a_profile_with_the_same_meaning(
    tmp_path: Path, ref: str, extra: tuple[str, ...]
) -> None:
    original = load_profile(ref, extra)
    resolved = tmp_path / "resolved.yaml"
    resolved.write_text(render_profile(original))
    assert check_profiles([str(resolved)]) == []
    assert semantics(load_profile(str(resolved))) == semantics(original)


# -- errors, each with its place ---------------------------------------------------------


def test_every_problem_is_reported_at_once_with_its_line(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "version: 1\n"  # 1
        "name: site\n"  # 2
        "colour: blue\n"  # 3 unknown key
        "options: [retain-uids, retain-everything]\n"  # 4 unknown option
        "rules:\n"  # 5
        "  - {select: PatientNmae, action: remove}\n"  # 6 unknown keyword
        "  - {select: PatientName, action: obliterate}\n"  # 7 unknown action
        "  - {select: StudyDate, action: replace, value: '2024-01-01'}\n"  # 8 bad DA
        "  - {select: '(0019,xx0C)', action: keep}\n"  # 9 private without creator
        "burned_in: maybe\n",  # 10
    )
    got = problems(path)
    lines = [line for line, _ in got]
    assert lines == [3, 4, 6, 7, 8, 9, 10]
    messages = " | ".join(m for _, m in got)
    assert "unknown key 'colour'" in messages
    assert "unknown option 'retain-everything'" in messages
    assert "unknown element 'PatientNmae'" in messages
    assert "unknown action 'obliterate'" in messages
    assert "not a valid DA" in messages
    assert "needs 'creator:'" in messages
    assert "burned_in must be one of" in messages


def test_problem_renders_as_file_colon_line(tmp_path: Path) -> None:
    path = write(tmp_path, "version: 1\nname: x\nrules:\n  - {select: Nope, action: keep}\n")
    with pytest.raises(ProfileError) as info:
        load_profile(str(path))
    rendered = info.value.problems[0].render()
    assert rendered.startswith(f"{path}:4: unknown element 'Nope'")
    assert info.value.problems[0].hint


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "the profile is empty"),
        ("- a\n- b\n", "a profile must be a mapping"),
        ("name: x\n", "missing 'version'"),
        ("version: 2\nname: x\n", "unsupported profile version 2"),
        ("version: 1\n", "missing 'name'"),
        ("version: 1\nname: 'bad name!'\n", "name must be"),
        ("version: 1\nname: x\nname: y\n", "duplicate key 'name'"),
        ("version: 1\nname: x\nrules: {a: b}\n", "rules must be a list"),
        ("version: 1\nname: x\nrules: [{action: remove}]\n", "rule without 'select'"),
        ("version: 1\nname: x\nrules: [{select: PatientName}]\n", "rule without 'action'"),
        ("version: 1\nname: x\nrules: [{select: PatientName, action: remove, value: x}]\n", "only used with"),
        ("version: 1\nname: x\nrules: [{select: PatientName, action: replace}]\n", "needs 'value:'"),
        (
            "version: 1\nname: x\nrules: [{select: PatientName, action: shift}]\n",
            "does not apply to PatientName",
        ),
        ("version: 1\nname: x\nrules: [{select: Rows, action: replace, value: '3'}]\n", "cannot be written"),
        (
            "version: 1\nname: x\nrules: [{select: PatientSex, action: replace, value: 'female'}]\n",
            "not a valid CS",
        ),
        ("version: 1\nname: x\nrules: [{select: StationName, action: replace, value: 'x' }, ]\n", None),
        (
            "version: 1\nname: x\nrules: [{select: '(0010,0010)', creator: ACME, action: keep}]\n",
            "only to private",
        ),
        (
            "version: 1\nname: x\nrules: [{select: '(0019,100C)', creator: ACME, action: keep}]\n",
            "(gggg,xxEE)",
        ),
        (
            "version: 1\nname: x\nrules: [{select: '(0003,xx10)', creator: ACME, action: keep}]\n",
            "cannot hold",
        ),
        (
            "version: 1\nname: x\nrules: [{select: '(70xx,0010)', action: keep}]\n",
            "only groups 50xx and 60xx",
        ),
        (
            "version: 1\nname: x\nrules: [{select: StudyDate, action: keep, colour: red}]\n",
            "unknown rule key",
        ),
        ("version: 1\nname: x\nprivate: {default: keep-all}\n", "private.default must be"),
        ("version: 1\nname: x\npseudonyms: {namespace: 'a b'}\n", "namespace must be"),
        ("version: 1\nname: x\npseudonyms: {uid_root: '1.02.3'}\n", "not a UID root"),
        ("version: 1\nname: x\npseudonyms: {uid_root: '1.2.840.10008.9'}\n", "reserved"),
        (
            "version: 1\nname: x\npseudonyms: {uid_root: '1.2.3.4.5.6.7.8.9.10.11.12.13.14.15.16.17'}\n",
            "at most 32",
        ),
        ("version: 1\nname: x\npseudonyms: {date_shift_days: 0}\n", "date_shift_days must be"),
        ("version: 1\nname: x\npseudonyms: {shift: 3}\n", "unknown key 'pseudonyms.shift'"),
        ("version: 1\nname: x\nrecipients: [AGE-SECRET-KEY-1QQQQ]\n", "not an age X25519 recipient"),
        (
            "version: 1\nname: x\noptions: [retain-long-full-dates, retain-long-modified-dates]\n",
            "contradict",
        ),
        ("version: 1\nname: x\nextends: nonesuch\n", "profile 'nonesuch' not found"),
        ("version: 1\nname: x\nrules: [\n", "invalid YAML"),
    ],
)
def test_profile_errors(tmp_path: Path, text: str, expected: str | None) -> None:
    path = write(tmp_path, text)
    if expected is None:
        load_profile(str(path))
        return
    messages = [m for _, m in problems(path)]
    assert any(expected in m for m in messages), messages


def test_extends_cycle_is_reported(tmp_path: Path) -> None:
    write(tmp_path, "version: 1\nname: a\nextends: b.yaml\n", "a.yaml")
    write(tmp_path, "version: 1\nname: b\nextends: a.yaml\n", "b.yaml")
    messages = [m for _, m in problems(tmp_path / "a.yaml")]
    assert any("cycle" in m for m in messages)


def test_extends_path_is_relative_to_the_extending_file(tmp_path: Path) -> None:
    (tmp_path / "base").mkdir()
    write(
        tmp_path / "base",
        "version: 1\nname: base\nextends: basic\noptions: [clean-descriptors]\n",
        "base.yaml",
    )
    site = write(tmp_path, "version: 1\nname: site\nextends: base/base.yaml\noptions: [retain-uids]\n")
    p = load_profile(str(site))
    assert p.options == {"clean-descriptors", "retain-uids"}
    assert p.chain[0] == "builtin:basic"


def test_problems_of_the_base_are_reported_too(tmp_path: Path) -> None:
    write(tmp_path, "version: 1\nname: base\noptions: [bogus]\n", "base.yaml")
    site = write(
        tmp_path, "version: 1\nname: site\nextends: base.yaml\nrules: [{select: Nope, action: keep}]\n"
    )
    with pytest.raises(ProfileError) as info:
        load_profile(str(site))
    sources = {Path(p.source).name for p in info.value.problems}
    assert sources == {"base.yaml", "p.yaml"}


def test_unknown_command_line_option() -> None:
    with pytest.raises(ProfileError) as info:
        load_profile("basic", ["retain-uid"])
    assert "did you mean 'retain-uids'" in (info.value.problems[0].hint or "")


def test_contradiction_from_the_command_line() -> None:
    with pytest.raises(ProfileError) as info:
        load_profile("research-longitudinal", ["retain-long-full-dates"])
    assert info.value.problems[0].source == "command line"


def test_a_contradiction_names_the_line_of_the_later_option(tmp_path: Path) -> None:
    base = write(tmp_path, "version: 1\nname: b\noptions:\n  - retain-long-full-dates\n", "base.yaml")
    child = write(
        tmp_path,
        f"version: 1\nname: c\nextends: {base}\n"
        "options:\n  - clean-descriptors\n  - retain-long-modified-dates\n",
        "child.yaml",
    )
    with pytest.raises(ProfileError) as info:
        load_profile(str(child))
    [problem] = info.value.problems
    assert (Path(problem.source).name, problem.line) == ("child.yaml", 6)
    assert "contradict" in problem.message


def test_an_unknown_option_without_a_close_match_lists_the_options(tmp_path: Path) -> None:
    path = write(tmp_path, "version: 1\nname: x\noptions: [zzzzzz]\n")
    with pytest.raises(ProfileError) as info:
        load_profile(str(path))
    hint = info.value.problems[0].hint or ""
    assert hint.startswith("the options are: ") and all(o in hint for o in OPTIONS)


def test_check_profiles_collects_all_files(tmp_path: Path) -> None:
    good = write(tmp_path, "version: 1\nname: g\n", "g.yaml")
    bad = write(tmp_path, "version: 1\nname: b\nrules: [{select: X, action: keep}]\n", "b.yaml")
    found = check_profiles([str(good), str(bad)])
    assert [Path(p.source).name for p in found] == ["b.yaml"]


def test_every_option_name_is_known_to_the_table() -> None:
    from dcmscrub.standard.annex_e import load_table

    table = load_table()
    assert set(table.codes) == {"basic", *OPTIONS}


# -- selectors and values -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "creator", "kind", "check"),
    [
        ("PatientName", None, "tag", 0x00100010),
        ("(0010,0010)", None, "tag", 0x00100010),
        ("00100010", None, "tag", 0x00100010),
        ("(60xx,4000)", None, "pattern", 0x60024000),
        ("(50xx,xxxx)", None, "pattern", 0x50021234),
        ("(0019,xx0C)", "SIEMENS MR HEADER", "private", None),
    ],
)
def test_selectors(text: str, creator: str | None, kind: str, check: int | None) -> None:
    sel, problem, _hint = parse_selector(text, creator)
    assert problem is None and sel is not None
    assert sel.kind == kind
    if check is not None:
        assert sel.matches_public(check)
    if kind == "pattern":
        assert not sel.matches_public(0x00100010)
    if kind == "private":
        assert (sel.group, sel.offset, sel.creator) == (0x0019, 0x0C, "SIEMENS MR HEADER")


@pytest.mark.parametrize(
    ("value", "vr", "ok"),
    [
        ("20240229", "DA", True),
        ("20230229", "DA", False),
        ("2024-01-01", "DA", False),
        ("DOE^JANE", "PN", True),
        ("x" * 17, "SH", False),
        ("1.2.3", "UI", True),
        ("1.02.3", "UI", False),
        ("M", "CS", True),
        ("045Y", "AS", True),
        ("45 years", "AS", False),
        ("1.5", "DS", True),
        ("a\\b", "LO", False),
    ],
)
def test_replacement_values_are_checked_for_their_vr(value: str, vr: str, ok: bool) -> None:
    assert (check_value_for_vr(value, vr) is None) is ok


# -- the escrow section -------------------------------------------------------------------

BROKER = "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p"


def test_the_escrow_section_is_inherited_overridden_and_shown(tmp_path: Path) -> None:
    base = write(
        tmp_path, f"version: 1\nname: base\nextends: basic\nescrow: {{recipients: [{BROKER}]}}\n", "base.yaml"
    )
    child = write(tmp_path, "version: 1\nname: child\nextends: base.yaml\n", "child.yaml")
    assert load_profile(str(child)).escrow_recipients == (BROKER,)
    assert load_profile(str(base)).sha256 != load_profile("basic").sha256
    none = write(
        tmp_path, "version: 1\nname: none\nextends: base.yaml\nescrow: {recipients: []}\n", "none.yaml"
    )
    assert load_profile(str(none)).escrow_recipients == ()
    resolved = write(tmp_path, render_profile(load_profile(str(child))), "resolved.yaml")
    assert load_profile(str(resolved)).escrow_recipients == (BROKER,)
    assert load_profile("basic").escrow_recipients == () and "escrow" not in render_profile(
        load_profile("basic")
    )


def test_an_escrow_recipient_in_the_base_that_a_child_makes_a_data_recipient_is_refused(
    tmp_path: Path,
) -> None:
    write(
        tmp_path, f"version: 1\nname: base\nextends: basic\nescrow:\n  recipients: [{BROKER}]\n", "base.yaml"
    )
    child = write(
        tmp_path, f"version: 1\nname: child\nextends: base.yaml\nrecipients: [{BROKER}]\n", "child.yaml"
    )
    [(line, message)] = problems(child)
    assert (
        line == 5
        and message.startswith("escrow recipient age1ql3z7hjy54p")
        and "recipient of the outputs" in message
    )
    assert problems(write(tmp_path, "version: 1\nname: x\nescrow: [nope]\n")) == [
        (3, "escrow must be a mapping")
    ]


# -- text: how clean treats free text ---------------------------------------------------------


def test_text_defaults_to_the_vocabulary_and_adds_up_along_the_chain(tmp_path: Path) -> None:
    assert load_profile("research-longitudinal").text.clean == "vocabulary"
    (tmp_path / "terms").mkdir()
    (tmp_path / "terms" / "site.txt").write_text("# site words\nQUIXLEY\nvendor protocol X9\n")
    write(tmp_path, "version: 1\nname: base\ntext: {clean: denylist, vocabulary: [ALPHA]}\n", "base.yaml")
    path = write(
        tmp_path,
        "version: 1\nname: site\nextends: base.yaml\n"
        "text: {clean: vocabulary, vocabulary: [BETA], vocabulary_files: [terms/site.txt]}\n",
    )
    profile = load_profile(str(path))
    assert profile.text.clean == "vocabulary"
    assert profile.text.terms() == ("ALPHA", "BETA", "QUIXLEY", "vendor protocol X9")
    (file,) = profile.text.files
    assert Path(file.path) == (tmp_path / "terms" / "site.txt").absolute()
    shown = render_profile(profile)
    assert yaml.safe_load(shown)["text"]["vocabulary_files"] == [file.path]
    assert f"vocabulary file {file.path}: 2 terms, sha256 {file.sha256}" in shown
    before = profile.sha256
    (tmp_path / "terms" / "site.txt").write_text("QUIXLEY\n")
    assert load_profile(str(path)).sha256 != before  # the profile's digest covers its vocabulary files


def test_text_problems_are_all_reported_with_their_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "bad.txt").write_text("good term\n1234\nbad\x07term\n")
    path = write(
        tmp_path,
        "version: 1\n"  # 1
        "name: site\n"  # 2
        "text:\n"  # 3
        "  clean: vocab\n"  # 4
        "  vocabulary: [ok, '42']\n"  # 5
        "  vocabulary_files: [bad.txt, missing.txt]\n"  # 6
        "  colour: blue\n",  # 7
    )
    found = {(Path(p.source).name, p.line, p.message.split(":")[0]) for p in check_profiles([str(path)])}
    assert ("p.yaml", 4, "text.clean must be one of vocabulary, denylist, not 'vocab'") in found
    assert ("p.yaml", 5, "text.vocabulary") in found
    assert ("p.yaml", 6, "vocabulary file 'missing.txt' not found or not readable") in found
    assert ("p.yaml", 7, "unknown key 'text.colour'") in found
    assert ("bad.txt", 2, "numbers are always kept") in found
    assert ("bad.txt", 3, "a term must not hold control characters") in found
    assert len(found) == 6


def test_profile_check_and_show_on_the_command_line(tmp_path: Path) -> None:
    (tmp_path / "site.txt").write_text("QUIXLEY\n")
    path = write(tmp_path, "version: 1\nname: s\nextends: basic\ntext: {vocabulary_files: [site.txt]}\n")
    done = subprocess.run(
        [sys.executable, "-m", "dcmscrub", "profile", "show", str(path)], capture_output=True, text=True
    )
    assert done.returncode == 0 and "clean: vocabulary" in done.stdout and "site.txt" in done.stdout
    (tmp_path / "site.txt").write_text("1234\n")
    done = subprocess.run(
        [sys.executable, "-m", "dcmscrub", "profile", "check", str(path)], capture_output=True, text=True
    )
    assert done.returncode == ExitCode.CONFIG and "site.txt:1:" in done.stderr
