"""``glueContext.get_logger()``: the script's logger, with the method names Glue gives it."""

from __future__ import annotations

import logging
import sys

__all__ = ["GlueLogger", "script_logger"]


class GlueLogger:
    """What ``glueContext.get_logger()`` returns: ``info``, ``warn``, ``error`` (and friends)
    on the Python logger ``awsglue.script``, which writes to stderr unless logging is set up."""

    def __init__(self, logger: logging.Logger) -> None:
        self._logger = logger

    def info(self, message: object) -> None:
        self._logger.info("%s", message)

    def warn(self, message: object) -> None:
        self._logger.warning("%s", message)

    warning = warn

    def error(self, message: object) -> None:
        self._logger.error("%s", message)

    def debug(self, message: object) -> None:
        self._logger.debug("%s", message)


def script_logger() -> logging.Logger:
    logger = logging.getLogger("awsglue.script")
    if not logger.handlers and not logging.getLogger().handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
    return logger
