"""One error tree for the whole server.

Domain code raises these; the API boundary (``openglue.api.app``) turns them into the AWS
wire format in exactly one place. The class name is the wire ``__type``.
"""

from __future__ import annotations


class GlueError(Exception):
    """An error a client can act on. ``status`` is the HTTP status the wire answer carries."""

    status: int = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    @property
    def code(self) -> str:
        return type(self).__name__


class InvalidInputException(GlueError):
    pass


class ValidationException(GlueError):
    pass


class EntityNotFoundException(GlueError):
    pass


class AlreadyExistsException(GlueError):
    pass


class ConcurrentModificationException(GlueError):
    pass


class ResourceNumberLimitExceededException(GlueError):
    pass


class ConcurrentRunsExceededException(GlueError):
    pass


class InvalidStateException(GlueError):
    pass


class OperationTimeoutException(GlueError):
    pass


class AccessDeniedException(GlueError):
    pass


# CloudWatch Logs' names for the same kinds of fault (its model has no
# EntityNotFoundException or InvalidInputException).


class ResourceNotFoundException(GlueError):
    pass


class InvalidParameterException(GlueError):
    pass


class InternalServiceException(GlueError):
    """The only error answered with HTTP 500: something went wrong on our side."""

    status = 500


# Protocol-level errors that AWS answers before any operation runs. They are not in the
# Glue model; botocore and the JS SDKs read them by ``__type`` like any other error.


class UnknownOperationException(GlueError):
    pass


class SerializationException(GlueError):
    pass


class RequestEntityTooLargeException(GlueError):
    status = 413


class MissingAuthenticationTokenException(GlueError):
    status = 403


class IncompleteSignatureException(GlueError):
    pass


class UnrecognizedClientException(GlueError):
    status = 403


class InvalidSignatureException(GlueError):
    status = 403


class OperationNotSupportedException(GlueError):
    pass


# Crawlers and their schedules.


class CrawlerRunningException(GlueError):
    pass


class CrawlerNotRunningException(GlueError):
    pass


class CrawlerStoppingException(GlueError):
    pass


class SchedulerRunningException(GlueError):
    pass


class SchedulerNotRunningException(GlueError):
    pass


class SchedulerTransitioningException(GlueError):
    pass


class NoScheduleException(GlueError):
    pass


class VersionMismatchException(GlueError):
    pass


# Workflows.


class IllegalWorkflowStateException(GlueError):
    pass
