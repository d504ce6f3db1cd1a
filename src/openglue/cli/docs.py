"""``openglue docs``: write (or check) the reference pages generated from the code.

``docs/settings.md`` comes from the setting declarations, ``docs/coverage.md`` from botocore's
models (Glue, and CloudWatch Logs for the job logs) and the handler registry, ``docs/cli.md``
from the argparse parser. ``tests/test_docs.py`` fails when a committed page differs from what
the code generates.
"""

from __future__ import annotations

import argparse
import functools
from collections.abc import Callable
from pathlib import Path

# Help is rendered at a fixed width so the page does not depend on the terminal it was made in.
HELP_WIDTH = 100


def cli_markdown() -> str:
    """Every command's ``--help``, as the user sees it."""
    from openglue.cli.main import build_parser

    parser = build_parser()
    pages: list[tuple[str, argparse.ArgumentParser]] = []

    def add(prog: str, page: argparse.ArgumentParser) -> None:
        # Depth first, so that `openglue jobs` is followed by `openglue jobs create` ….
        pages.append((prog, page))
        for action in page._actions:
            if isinstance(action, argparse._SubParsersAction):
                for sub in action.choices.values():
                    add(sub.prog, sub)

    add("openglue", parser)
    lines = [
        "# Command line",
        "",
        "Generated from `src/openglue/cli/` by `openglue docs`; a test keeps this file current.",
        "Server settings are described in [settings.md](settings.md).",
    ]
    for prog, page in pages:
        page.formatter_class = functools.partial(argparse.HelpFormatter, width=HELP_WIDTH)
        lines += ["", f"## `{prog}`", "", "```text", page.format_help().rstrip(), "```"]
    return "\n".join(lines) + "\n"


def generated_docs() -> dict[str, str]:
    """File name (inside the docs folder) → the content the code generates for it."""
    from openglue.api.coverage import coverage_markdown, logs_coverage_markdown
    from openglue.settings import settings_markdown

    makers: dict[str, Callable[[], str]] = {
        "settings.md": settings_markdown,
        "coverage.md": lambda: coverage_markdown() + logs_coverage_markdown(),
        "cli.md": cli_markdown,
    }
    return {name: make() for name, make in makers.items()}


def add_docs_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    docs = commands.add_parser(
        "docs",
        help="write the generated reference pages (settings, API coverage, CLI)",
        description="Write docs/settings.md, docs/coverage.md and docs/cli.md from the code. "
        "Run it from the repository root after adding an operation, a setting or a command.",
    )
    docs.add_argument(
        "--check",
        action="store_true",
        help="only compare: exit 1 and name the stale pages if any differs from the code",
    )
    docs.add_argument(
        "--out", default="docs", metavar="DIR", help="folder of the pages (default: ./docs)"
    )


def run_docs(args: argparse.Namespace) -> int:
    out = Path(args.out)
    pages = generated_docs()
    if args.check:
        stale = [
            name
            for name, text in pages.items()
            if not (out / name).is_file() or (out / name).read_text(encoding="utf-8") != text
        ]
        for name in stale:
            print(f"{out / name} is out of date")
        if stale:
            print("Run `openglue docs` from the repository root to regenerate.")
            return 1
        print(f"{len(pages)} generated pages in {out} are current.")
        return 0
    out.mkdir(parents=True, exist_ok=True)
    for name, text in pages.items():
        path = out / name
        changed = not path.is_file() or path.read_text(encoding="utf-8") != text
        if changed:
            path.write_text(text, encoding="utf-8")
        print(f"{path}: {'written' if changed else 'unchanged'}")
    return 0
