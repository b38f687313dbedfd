"""``govscan completion``: the script a real bash sources offers the commands, the options
and the choices the parser has."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from govscan.cli import main

# Complete a line as bash does on Tab: the function `complete -p govscan` names is called
# with COMP_WORDS and COMP_CWORD set, the word under the cursor being the last argument.
COMPLETE = r"""
source "$1"; shift
spec=$(complete -p govscan)
function=${spec##*-F }; function=${function%% *}
COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
"$function" govscan "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
printf '%s\n' "${COMPREPLY[@]}"
"""


@pytest.fixture
def bash_script(tmp_path, capsys) -> str:
    """The script ``govscan completion bash`` prints, in a file for bash to source."""
    if shutil.which("bash") is None:
        pytest.skip("bash is not installed")
    assert main(["completion", "bash"]) == 0
    path = tmp_path / "govscan.bash"
    path.write_text(capsys.readouterr().out, encoding="utf-8")
    return str(path)


def offered(script: str, *words: str) -> set[str]:
    """What bash offers for a command line whose last word is being completed."""
    done = subprocess.run(
        ["bash", "-c", COMPLETE, "bash", script, *words],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == 0, done.stderr
    return set(done.stdout.split())


def test_a_command_is_completed_from_its_start(bash_script):
    assert offered(bash_script, "govscan", "sc") == {"scan", "schedule"}
    assert {"validate", "worker", "completion"} <= offered(bash_script, "govscan", "")


def test_the_options_of_scan_complete(bash_script):
    assert offered(bash_script, "govscan", "scan", "--max") == {"--max-pages"}
    options = offered(bash_script, "govscan", "scan", "--")
    assert {"--config", "--full", "--checks", "--fail-on", "--format", "--per-ip"} <= options
    assert "--run-now" not in options  # schedule's, not scan's
    assert offered(bash_script, "govscan", "scan", "--format", "") == {
        "json",
        "csv",
        "junit",
        "sarif",
        "markdown",
    }
    assert offered(bash_script, "govscan", "scan", "--fail-on", "de") == {"deduction"}


def test_the_shells_are_offered(bash_script):
    assert offered(bash_script, "govscan", "completion", "") == {"bash", "zsh"}


def test_zsh_gets_the_commands_with_their_chinese_help(capsys):
    assert main(["completion", "zsh"]) == 0
    script = capsys.readouterr().out
    assert script.startswith("#compdef govscan")
    assert "scan:'扫描一个网站，或清单中的网站'" in script


def test_the_help_says_how_to_install_it_in_chinese(capsys):
    assert main(["completion", "--help"]) == 0
    shown = capsys.readouterr().out
    assert "输出 govscan 的命令行补全脚本" in shown
    assert 'eval "$(govscan completion bash)"' in shown
