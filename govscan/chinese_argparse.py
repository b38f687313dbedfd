"""argparse for Chinese users: its own words — usage, section titles, ``-h``, the defaults, and
its error messages — in Chinese, and number arguments that refuse what no scan can use.

argparse prints its words through gettext without a Chinese catalogue, so the parser and
its help formatter say them here instead; error messages are translated by their form.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable

EXIT_USAGE = 2

#: argparse's error messages, by their English form, and how they read in Chinese.
ERRORS = [
    (r"the following arguments are required: (.+)", r"缺少必需的参数：\1"),
    (r"unrecognized arguments: (.+)", r"无法识别的参数：\1"),
    (
        r"argument (\S+): invalid choice: (.+?) \(choose from (.+)\)",
        r"参数 \1 的取值 \2 无效（可选：\3）",
    ),
    (r"argument (\S+): invalid \w+ value: (.+)", r"参数 \1 的值 \2 不是有效的数"),
    (r"argument (\S+): expected one argument", r"参数 \1 需要一个值"),
    (r"argument (\S+): not allowed with argument (\S+)", r"参数 \1 不能与 \2 同用"),
    (r"argument (\S+): (.+)", r"参数 \1：\2"),
]


def in_chinese(message: str) -> str:
    for pattern, chinese in ERRORS:
        if re.fullmatch(pattern, message):
            return re.sub(pattern, chinese, message)
    return message


class HelpFormatter(argparse.HelpFormatter):
    """``用法：`` for usage, and every option's default shown unless its help says it."""

    def add_usage(self, usage, actions, groups, prefix=None) -> None:
        super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)

    def _get_help_string(self, action: argparse.Action) -> str:
        text = action.help or ""
        shown = action.default not in (None, False, [], argparse.SUPPRESS)
        if action.option_strings and shown and "默认" not in text:
            text += "（默认：%(default)s）"
        return text


class RawEpilogFormatter(HelpFormatter):
    """The epilog as written, line by line: for commands to copy, which rewrapping breaks."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        return "".join(indent + line for line in text.splitlines(keepends=True))


class ChineseParser(argparse.ArgumentParser):
    """An ArgumentParser whose words are Chinese; its subcommands' parsers are too."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("formatter_class", HelpFormatter)
        super().__init__(*args, add_help=False, **kwargs)
        self._positionals.title = "位置参数"
        self._optionals.title = "选项"
        self.add_argument("-h", "--help", action="help", help="显示本帮助并退出")

    def error(self, message: str) -> None:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"错误：{in_chinese(message)}（用 {self.prog} --help 查看用法）\n")


def at_least(lowest: float, kind: type = int) -> Callable[[str], float]:
    """An argument type for numbers of ``kind`` no smaller than ``lowest``."""

    def parse(text: str) -> float:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text} 不是有效的数") from None
        if value < lowest:
            raise argparse.ArgumentTypeError(f"须不小于 {lowest}，而给出的是 {text}")
        return value

    return parse


def above(lowest: float) -> Callable[[str], float]:
    """An argument type for decimal numbers greater than ``lowest``, such as a timeout."""

    def parse(text: str) -> float:
        value = at_least(float("-inf"), float)(text)
        if value <= lowest:
            raise argparse.ArgumentTypeError(f"须大于 {lowest:g}，而给出的是 {text}")
        return value

    return parse
