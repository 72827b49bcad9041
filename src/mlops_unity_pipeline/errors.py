"""The package's one error hierarchy: everything raised on purpose derives from ``PipelineError``."""

from __future__ import annotations


class PipelineError(Exception):
    """Root of every error this package raises on purpose."""


class SpecError(PipelineError, ValueError):
    """A user-written spec, config, flag or file is invalid; the message names the field."""


class ConfigError(SpecError):
    """An ML-Agents trainer configuration is invalid (unknown key, bad value, missing behavior)."""


class DescriptionRefused(SpecError):
    """A description names a behavior the world vocabulary cannot express (the message says what is missing).

    Attributes:
        missing: the concept the world IR lacks.
        nearest: the nearest behavior it can express.

    """

    def __init__(self, message: str, *, missing: str = "", nearest: str = "") -> None:
        super().__init__(message)
        self.missing = missing
        self.nearest = nearest


class ScheduleError(SpecError):
    """A schedule (cron expression, timezone, policy) is invalid."""


class DemoFormatError(SpecError):
    """A ``.demo`` file is truncated, corrupt or does not match the environment.

    Attributes:
        path: the offending file, when known.
        offset: the byte offset where reading failed, when known.

    """

    def __init__(self, message: str, *, path: str | None = None, offset: int | None = None) -> None:
        where = ""
        if path is not None:
            where = f"{path}"
            if offset is not None:
                where += f" at byte {offset}"
            where += ": "
        super().__init__(where + message)
        self.path = path
        self.offset = offset


class InvalidAction(PipelineError, ValueError):
    """An action given to the simulator has the wrong shape, dtype, range or contains NaN."""


class ResetNeeded(PipelineError, RuntimeError):
    """The simulator was stepped before ``reset`` (Gymnasium's contract)."""


class ProtocolError(PipelineError):
    """A peer of the ML-Agents communicator protocol sent something unexpected or timed out."""


class StoreError(PipelineError):
    """The job store or artifact store is unreadable, corrupt or unwritable."""


class LeaseLost(StoreError):
    """A process lost the job it was running: its lease expired and another process took the job over."""


class InvalidTransition(PipelineError):
    """A job or stage state change that the state machine does not allow."""


class MissingExtraError(PipelineError, ImportError):
    """An optional integration is used without its pip extra installed."""

    def __init__(self, extra: str, what: str) -> None:
        super().__init__(
            f"{what} needs the optional dependencies: pip install 'mlops_unity_pipeline[{extra}]'"
        )
        self.extra = extra


class StageError(PipelineError):
    """A pipeline stage failed; carries the stage name and the job/run id.

    Attributes:
        stage: the stage that failed (``codegen``, ``build``, ``train`` …).
        run_id: the job or run id, when known.

    """

    default_stage = "unknown"

    def __init__(self, message: str, *, stage: str | None = None, run_id: str | None = None) -> None:
        super().__init__(message)
        self.stage = stage or self.default_stage
        self.run_id = run_id


class CodegenError(StageError):
    """Interpreting a description or generating/checking C# failed."""

    default_stage = "codegen"


class BuildError(StageError):
    """Building the environment (Unity player or simulator bundle) failed."""

    default_stage = "build"


class TrainError(StageError):
    """Training failed (divergence, environment mismatch, trainer crash)."""

    default_stage = "train"


class ExportError(StageError):
    """Exporting a policy to ONNX failed or produced an invalid model."""

    default_stage = "package"


class RegistryError(StageError):
    """Registering, reading or promoting a model version failed."""

    default_stage = "register"


class JobCancelled(PipelineError):
    """A running job was cancelled by the user; raised inside stages to unwind cleanly."""
