"""The newstrace exception tree.

Each class carries what the boundaries need: a stable machine ``code``, the CLI
``exit_code`` and the HTTP ``http_status``. Code inside the package raises these; only the
CLI and the service convert them (one line + exit code, or status + JSON).
"""

from __future__ import annotations

from typing import Any, ClassVar


class NewstraceError(Exception):
    """Base of every error newstrace raises on purpose."""

    code: ClassVar[str] = "error"
    exit_code: ClassVar[int] = 1
    http_status: ClassVar[int] = 500

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details = details

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.details:
            out["details"] = {k: str(v) for k, v in self.details.items()}
        return out

    def one_line(self) -> str:
        """The message on a single line, safe to print as a CLI error."""
        return " ".join(self.message.split())


# --- input -----------------------------------------------------------------------------


class InputError(NewstraceError):
    """The input cannot be used (a request without an article, a bad field); the classes
    below say why more precisely and carry their own exit codes."""

    code = "bad_input"
    exit_code = 18
    http_status = 400


class InputNotFound(InputError):
    code = "not_found"
    exit_code = 3
    http_status = 404


class NotFound(InputNotFound):
    """An item (a corpus article, story or outlet) that the loaded corpus does not hold
    (code, exit code and 404 inherited)."""


class InputIsDirectory(InputError):
    code = "is_directory"
    exit_code = 4


class EmptyInput(InputError):
    code = "empty"
    exit_code = 5
    http_status = 422


class BinaryInput(InputError):
    code = "binary"
    exit_code = 6
    http_status = 415


class InputTooLarge(InputError):
    code = "too_large"
    exit_code = 7
    http_status = 413


class UnsupportedFormat(InputError):
    code = "unsupported_format"
    exit_code = 8
    http_status = 415


class UndecodableInput(InputError):
    code = "undecodable"
    exit_code = 9
    http_status = 422


class MalformedData(InputError):
    """A structured input file (CSV, JSONL, ratings list) is not in the expected shape."""

    code = "malformed_data"
    exit_code = 10
    http_status = 422


class EmptyQuery(InputError):
    """A look-up was asked for nothing (``newstrace outlets lookup ""``)."""

    code = "empty_query"
    exit_code = 19
    http_status = 400


class InvalidQuery(InputError):
    """SQL given to ``newstrace corpus query`` (or the service's corpus search) failed."""

    code = "bad_query"
    exit_code = 17
    http_status = 400


# --- environment -----------------------------------------------------------------------


class ConfigError(NewstraceError):
    code = "config"
    exit_code = 11
    http_status = 500


class NoCorpus(ConfigError):
    """A corpus page or endpoint was asked of a service started without ``--corpus``."""

    code = "no_corpus"
    exit_code = 20
    http_status = 404


class ResourceMissing(NewstraceError):
    """A model, pipeline or data file newstrace needs is not installed."""

    code = "resource_missing"
    exit_code = 12
    http_status = 503


class FetchError(NewstraceError):
    """Downloading a public data set failed (``newstrace data fetch``)."""

    code = "fetch_failed"
    exit_code = 14
    http_status = 502


class OutputError(NewstraceError):
    """A report or table cannot be written where the user asked."""

    code = "output"
    exit_code = 16
    http_status = 500


# --- analysis --------------------------------------------------------------------------


class PipelineError(NewstraceError):
    """The analyzer is wrongly assembled (an annotator's requirement is not met)."""

    code = "pipeline"
    exit_code = 15
    http_status = 500


class AnalysisTimeout(NewstraceError):
    code = "timeout"
    exit_code = 13
    http_status = 504


class TextTooLong(InputError):
    """The article's text is longer than the language model parses in one piece."""

    code = "too_long"
    exit_code = 21
    http_status = 413


class AnalysisCrashed(NewstraceError):
    """The process analysing a document died (a crash or the kernel's out-of-memory
    killer); the service replaces it and answers this instead of hanging."""

    code = "analysis_crashed"
    exit_code = 22
    http_status = 500


# --- the service -----------------------------------------------------------------------


class ServiceBusy(NewstraceError):
    """Every analysis worker is busy and the waiting line is full: try again later."""

    code = "busy"
    exit_code = 23
    http_status = 503

    def __init__(self, message: str, retry_after_s: int = 5, **details: Any) -> None:
        super().__init__(message, retry_after_s=retry_after_s, **details)
        self.retry_after_s = retry_after_s


# --- fetching a page by URL ------------------------------------------------------------


class UrlRefused(InputError):
    """A URL newstrace will not fetch: not http(s), or (in the service) an address on
    this machine or its private network."""

    code = "url_refused"
    exit_code = 24
    http_status = 400


class PageFetchFailed(InputError):
    """The page at a URL could not be fetched (network error, timeout, HTTP error,
    too many redirects, too large)."""

    code = "page_fetch_failed"
    exit_code = 25
    http_status = 502
