"""What the client commands (``openglue jobs …``, ``openglue run``) share: finding the server,
boto3 clients for it, and turning API failures into one line and an exit status.

These commands are API clients like any other: they talk to a running server through boto3,
so they work against a server on another machine too (a script path is then a path on the
server's machine).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from botocore.config import Config
from botocore.exceptions import (
    ClientError,
    ConnectTimeoutError,
    EndpointConnectionError,
    ReadTimeoutError,
)

DEFAULT_ENDPOINT = "http://127.0.0.1:4599"
# Credentials are only checked when the server has --access-keys; without any configured,
# these let boto3 sign (it refuses to send unsigned requests).
_ANONYMOUS = ("openglue", "openglue")
_FINAL_STATES = ("SUCCEEDED", "FAILED", "STOPPED", "TIMEOUT", "ERROR", "EXPIRED")
# Exit statuses of commands that wait for a run: 0 only when it SUCCEEDED.
EXIT_STATUS = {"SUCCEEDED": 0, "FAILED": 1, "ERROR": 1, "EXPIRED": 1, "TIMEOUT": 124}
EXIT_STOPPED = 130


def is_final(state: str) -> bool:
    return state in _FINAL_STATES


def exit_status(state: str) -> int:
    return EXIT_STATUS.get(state, EXIT_STOPPED)


def default_endpoint() -> str:
    return (
        os.environ.get("AWS_ENDPOINT_URL_GLUE")
        or os.environ.get("AWS_ENDPOINT_URL")
        or DEFAULT_ENDPOINT
    )


def add_endpoint_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--endpoint-url",
        default=None,
        metavar="URL",
        help="the OpenGlue server (default: $AWS_ENDPOINT_URL_GLUE, $AWS_ENDPOINT_URL, "
        f"else {DEFAULT_ENDPOINT})",
    )


@dataclass(frozen=True)
class Api:
    endpoint: str
    glue: Any
    logs: Any


def connect(args: argparse.Namespace) -> Api:
    import boto3  # here: the other commands (the server's among them) do not need it

    endpoint = args.endpoint_url or default_endpoint()
    session = boto3.Session()
    options: dict[str, Any] = {
        "endpoint_url": endpoint,
        "region_name": session.region_name or "us-east-1",
        "config": Config(connect_timeout=5, read_timeout=60, retries={"max_attempts": 2}),
    }
    if session.get_credentials() is None:
        options["aws_access_key_id"], options["aws_secret_access_key"] = _ANONYMOUS
    return Api(endpoint, session.client("glue", **options), session.client("logs", **options))


class CommandError(Exception):
    """A failure to report as one line (``openglue: …``) with exit status 1."""


def run_command(
    name: str, args: argparse.Namespace, command: Callable[[Api, argparse.Namespace], int]
) -> int:
    """Run ``command`` against the server; failures become a line on stderr and status 1."""
    api = connect(args)
    try:
        return command(api, args)
    except (EndpointConnectionError, ConnectTimeoutError):
        _fail(name, f"no OpenGlue server at {api.endpoint}; start one with `openglue server`")
    except ReadTimeoutError:
        _fail(name, f"the server at {api.endpoint} did not answer in time")
    except ClientError as exc:
        error = exc.response.get("Error", {})
        _fail(name, f"{error.get('Code', 'Error')}: {error.get('Message', exc)}")
    except CommandError as exc:
        _fail(name, str(exc))
    return 1


def _fail(name: str, message: str) -> None:
    print(f"{name}: {message}", file=sys.stderr)


def add_argument_options(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument(
        "--arg",
        dest="arguments",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help=f"{what} (repeatable); the key gets the leading -- Glue expects if it lacks it "
        "(--arg day=mon passes --day mon; --arg=--day=mon works too); KEY= passes a key-only "
        "flag",
    )


def parse_arguments(pairs: Sequence[str]) -> dict[str, str]:
    """``["day=mon", "--verbose="]`` → ``{"--day": "mon", "--verbose": ""}``."""
    arguments = {}
    for pair in pairs:
        key, separator, value = pair.partition("=")
        if not separator or not key.strip("-"):
            raise CommandError(f"--arg {pair!r} is not KEY=VALUE")
        arguments[key if key.startswith("--") else f"--{key}"] = value
    return arguments


def script_arguments(words: Sequence[str]) -> dict[str, str]:
    """A script's command line as Glue arguments: ``--day mon --verbose`` → ``{"--day":
    "mon", "--verbose": ""}``. Glue passes arguments as ``--KEY VALUE`` pairs (or a key
    alone), so a word that is neither is refused."""
    arguments: dict[str, str] = {}
    index = 0
    while index < len(words):
        word = words[index]
        if not word.startswith("--") or word == "--":
            raise CommandError(
                f"script argument {word!r}: Glue passes arguments to scripts as --KEY VALUE "
                "pairs (or a --KEY alone), so positional arguments cannot be passed"
            )
        key, separator, value = word.partition("=")
        if separator:
            arguments[key] = value
        elif index + 1 < len(words) and not words[index + 1].startswith("--"):
            arguments[key] = words[index + 1]
            index += 1
        else:
            arguments[key] = ""
        index += 1
    return arguments
