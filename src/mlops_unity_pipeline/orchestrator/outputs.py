"""What each stage hands to the next: one frozen output record per stage, stored as JSON in the job store.

A stage returns its record in a ``StageResult``; the orchestrator stores ``to_dict()`` (``pipeline.db``,
table ``stages``) and later stages read it back typed with ``StageContext.output(TrainOutput)``. On resume,
``decode_output`` rebuilds the records from the store. The JSON keys are the ones earlier versions wrote, so
their job records still load; keys added since have defaults, and anything else is a ``StoreError`` that
names the record.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from .._validate import check_keys, short, to_bool, to_choice, to_float, to_int, to_str
from ..errors import SpecError, StageError, StoreError
from ..specs import BuildBackend, TrainerBackend

# --- shared pieces ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Execution:
    """Where a stage ran: this host, or a Ray worker (``orchestrator/ray_jobs.py``) and its attempt."""

    executor: str
    """``local`` or ``ray``."""
    node: str
    """The host (or Ray node) name."""
    attempt: int | None = None
    """The Ray task attempt (1 first; more after a worker died); None for local runs."""

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict."""
        out: dict[str, Any] = {"executor": self.executor, "node": self.node}
        if self.attempt is not None:
            out["attempt"] = self.attempt
        return out

    @classmethod
    def from_dict(cls, data: Any, where: str = "execution") -> Execution:
        """Read an ``execution`` record.

        Raises:
            SpecError: naming the bad key.

        """
        data = check_keys(data, ("executor", "node", "attempt"), where, required=("executor", "node"))
        attempt = data.get("attempt")
        return cls(
            executor=to_str(data["executor"], f"{where}.executor"),
            node=to_str(data["node"], f"{where}.node"),
            attempt=None if attempt is None else to_int(attempt, f"{where}.attempt", minimum=1),
        )


_COMMON_KEYS = ("paths", "execution")
"""Keys every stage record may carry: the files it made (joined into ``JobResult.paths``), where it ran."""


def _paths(data: Mapping[str, Any], where: str) -> dict[str, str]:
    raw = data.get("paths") or {}
    if not isinstance(raw, Mapping):
        raise SpecError(f"{where}.paths: expected a mapping, got {type(raw).__name__}")
    return {to_str(k, f"{where}.paths"): to_str(v, f"{where}.paths.{k}") for k, v in raw.items()}


def _execution(data: Mapping[str, Any], where: str) -> Execution | None:
    raw = data.get("execution")
    return None if raw is None else Execution.from_dict(raw, f"{where}.execution")


def _mapping(value: Any, name: str) -> dict[str, Any]:
    if not isinstance(value, Mapping):
        raise SpecError(f"{name}: expected a mapping, got {short(value)}")
    return dict(value)


def _optional_mapping(value: Any, name: str) -> dict[str, Any] | None:
    return None if value is None else _mapping(value, name)


def _optional_str(value: Any, name: str) -> str | None:
    return None if value is None else to_str(value, name)


def _optional_float(value: Any, name: str) -> float | None:
    return None if value is None else to_float(value, name)


def _strings(value: Any, name: str) -> tuple[str, ...]:
    if not isinstance(value, (list, tuple)):
        raise SpecError(f"{name}: expected a list, got {short(value)}")
    return tuple(to_str(v, f"{name}[{i}]") for i, v in enumerate(value))


def _common(output: StageOutput) -> dict[str, Any]:
    out: dict[str, Any] = {"paths": dict(output.paths)}
    if output.execution is not None:
        out["execution"] = output.execution.to_dict()
    return out


@dataclass(frozen=True, kw_only=True)
class StageOutput:
    """The fields every stage record has; subclasses add the stage's own and set ``stage``."""

    stage: ClassVar[str] = ""
    """The stage that writes this record."""
    paths: Mapping[str, str] = field(default_factory=dict)
    """Files the stage made, by role (``report``, ``metadata`` …); ``JobResult.paths`` joins them."""
    execution: Execution | None = None
    """Where the stage ran, when it ran on a Ray worker."""

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON-ready record the job store keeps."""
        return _common(self)

    @classmethod
    def from_dict(cls, data: Any) -> StageOutput:
        """Read a stored record (subclasses read their own fields).

        Raises:
            SpecError: naming the bad or missing key.

        """
        where = cls.stage or "outputs"
        data = check_keys(data, _COMMON_KEYS, where)
        return cls(paths=_paths(data, where), execution=_execution(data, where))


# --- codegen ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CodegenCheck:
    """One check the generated C# went through (syntax, types, safety) and how many diagnostics it gave."""

    name: str
    passed: bool
    diagnostics: int = 0

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict."""
        return {"name": self.name, "passed": self.passed, "diagnostics": self.diagnostics}


@dataclass(frozen=True, kw_only=True)
class CodegenOutput(StageOutput):
    """The interpreted behavior and the generated Unity project (``orchestrator/stages/codegen.py``)."""

    stage: ClassVar[str] = "codegen"
    behavior_name: str
    """The behavior's name (the YAML key, the ONNX file name, ``BehaviorParameters.BehaviorName``)."""
    archetype: str
    """The simulator task family the behavior maps onto."""
    behavior_spec_path: str
    """The behavior spec (IR) as JSON: later stages read it once through ``StageContext.behavior_spec``."""
    provider: str = "rules"
    """Who interpreted the description (``rules`` or an LLM provider)."""
    reasons: tuple[str, ...] = ()
    """Why the interpreter chose what it chose."""
    fallbacks: tuple[str, ...] = ()
    """What the interpreter defaulted because the description did not say."""
    files: tuple[str, ...] = ()
    """The generated files."""
    checks: tuple[CodegenCheck, ...] = ()
    """The checks the code passed."""
    code_sha256: Mapping[str, str] = field(default_factory=dict)
    """sha256 of every generated file, by relative path."""
    codegen_metadata: Mapping[str, Any] = field(default_factory=dict)
    """For LLM providers: model, prompt sha256, attempts."""

    @property
    def project_dir(self) -> str:
        """The generated Unity project (``paths["generated_code"]``), what a Unity build compiles.

        Raises:
            SpecError: when the record names no generated project.

        """
        try:
            return self.paths["generated_code"]
        except KeyError:
            raise SpecError("codegen.paths: missing 'generated_code' (the generated Unity project)") from None

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON-ready record."""
        return {
            "behavior_name": self.behavior_name,
            "archetype": self.archetype,
            "behavior_spec_path": self.behavior_spec_path,
            "provider": self.provider,
            "reasons": list(self.reasons),
            "fallbacks": list(self.fallbacks),
            "files": list(self.files),
            "checks": [c.to_dict() for c in self.checks],
            "code_sha256": dict(self.code_sha256),
            "codegen_metadata": dict(self.codegen_metadata),
            **_common(self),
        }

    @classmethod
    def from_dict(cls, data: Any) -> CodegenOutput:
        """Read a stored codegen record.

        Raises:
            SpecError: naming the bad or missing key.

        """
        keys = ("behavior_name", "archetype", "behavior_spec_path", "provider", "reasons", "fallbacks")
        keys += ("files", "checks", "code_sha256", "codegen_metadata", *_COMMON_KEYS)
        data = check_keys(data, keys, "codegen", required=keys[:3])
        checks = []
        for i, raw in enumerate(data.get("checks") or ()):
            where = f"codegen.checks[{i}]"
            item = check_keys(raw, ("name", "passed", "diagnostics"), where, required=("name", "passed"))
            checks.append(
                CodegenCheck(
                    name=to_str(item["name"], f"{where}.name"),
                    passed=to_bool(item["passed"], f"{where}.passed"),
                    diagnostics=to_int(item.get("diagnostics", 0), f"{where}.diagnostics", minimum=0),
                )
            )
        return cls(
            behavior_name=to_str(data["behavior_name"], "codegen.behavior_name", allow_empty=False),
            archetype=to_str(data["archetype"], "codegen.archetype"),
            behavior_spec_path=to_str(data["behavior_spec_path"], "codegen.behavior_spec_path"),
            provider=to_str(data.get("provider", "rules"), "codegen.provider"),
            reasons=_strings(data.get("reasons", ()), "codegen.reasons"),
            fallbacks=_strings(data.get("fallbacks", ()), "codegen.fallbacks"),
            files=_strings(data.get("files", ()), "codegen.files"),
            checks=tuple(checks),
            code_sha256=_mapping(data.get("code_sha256", {}), "codegen.code_sha256"),
            codegen_metadata=_mapping(data.get("codegen_metadata", {}), "codegen.codegen_metadata"),
            paths=_paths(data, "codegen"),
            execution=_execution(data, "codegen"),
        )


# --- build --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class BuildOutput(StageOutput):
    """The environment training runs in: a checked simulator record or a Unity player (``build.py``)."""

    stage: ClassVar[str] = "build"
    backend: BuildBackend
    """``sim`` or ``unity``."""
    build_record: str
    """``build/build.json``: what was built and how."""
    player_path: str | None = None
    """The Unity player executable (``unity`` only)."""
    unity_version: str | None = None
    """The Editor version that built it (``unity`` only)."""
    build_log: str | None = None
    """The Editor log, in the artifact store (``unity`` only)."""
    build_log_sha256: str | None = None
    """Its sha256."""
    build_log_size: int | None = None
    """Its size in bytes."""
    editor_log: str | None = None
    """The Editor's own batch-mode log where the build wrote it (``unity`` only)."""
    command: tuple[str, ...] = ()
    """The exact Editor command line (``unity`` only)."""
    duration_s: float | None = None
    """Wall-clock seconds of the Editor run (``unity`` only)."""

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON-ready record."""
        out: dict[str, Any] = {"backend": self.backend.value, "build_record": self.build_record}
        if self.backend is BuildBackend.UNITY:
            out.update(
                {
                    "player_path": self.player_path,
                    "unity_version": self.unity_version,
                    "build_log": self.build_log,
                    "build_log_sha256": self.build_log_sha256,
                    "build_log_size": self.build_log_size,
                    "editor_log": self.editor_log,
                    "command": list(self.command),
                    "duration_s": self.duration_s,
                }
            )
        return {**out, **_common(self)}

    @classmethod
    def from_dict(cls, data: Any) -> BuildOutput:
        """Read a stored build record.

        Raises:
            SpecError: naming the bad or missing key.

        """
        keys = (
            "backend",
            "build_record",
            "player_path",
            "unity_version",
            "build_log",
            "build_log_sha256",
            "build_log_size",
            "editor_log",
            "command",
            "duration_s",
        )
        data = check_keys(data, (*keys, *_COMMON_KEYS), "build", required=keys[:2])
        size = data.get("build_log_size")
        return cls(
            backend=to_choice(data["backend"], BuildBackend, "build.backend"),
            build_record=to_str(data["build_record"], "build.build_record"),
            player_path=_optional_str(data.get("player_path"), "build.player_path"),
            unity_version=_optional_str(data.get("unity_version"), "build.unity_version"),
            build_log=_optional_str(data.get("build_log"), "build.build_log"),
            build_log_sha256=_optional_str(data.get("build_log_sha256"), "build.build_log_sha256"),
            build_log_size=None if size is None else to_int(size, "build.build_log_size", minimum=0),
            editor_log=_optional_str(data.get("editor_log"), "build.editor_log"),
            command=_strings(data.get("command", ()), "build.command"),
            duration_s=_optional_float(data.get("duration_s"), "build.duration_s"),
            paths=_paths(data, "build"),
            execution=_execution(data, "build"),
        )


# --- train --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class TrainOutput(StageOutput):
    """The trained policy and how training went (``orchestrator/stages/train.py``)."""

    stage: ClassVar[str] = "train"
    onnx_path: str
    """The exported policy (ML-Agents format)."""
    seed: int
    """The training seed (the evaluation derives its own from it)."""
    checkpoint_path: str = ""
    """The last training checkpoint."""
    run_dir: str = ""
    """``results/<run-id>``."""
    wall_seconds: float = 0.0
    """Training wall time."""
    history: tuple[tuple[int, float], ...] = ()
    """``(step, mean reward)`` per summary."""
    history_spread: tuple[tuple[Any, ...], ...] = ()
    """``(step, mean, std, success rate or None)`` per summary: the report's band and success curve."""
    steps: int | None = None
    """Steps trained (``train/steps``)."""
    mean_reward: float | None = None
    """The final mean reward (``train/mean_reward``)."""
    behavior_name: str = ""
    """The behavior trained."""
    backend: TrainerBackend = TrainerBackend.BUILTIN
    """Who trained."""
    resumed_from_checkpoint: bool = False
    """True when this run continued from a checkpoint."""
    pretrain: Mapping[str, Any] | None = None
    """Offline RL: the pretraining result (``rl.offline.pretrain.PretrainResult.to_dict``)."""
    trainer_config: Mapping[str, Any] = field(default_factory=dict)
    """The resolved ML-Agents trainer configuration."""
    mlagents_learn: Mapping[str, Any] | None = None
    """``trainer_backend: mlagents``: command, port, log and exit code of the ``mlagents-learn`` run."""

    @property
    def pretrained_onnx_path(self) -> str | None:
        """The pretrained policy's ONNX (offline RL), or None."""
        onnx = (self.pretrain or {}).get("onnx_path")
        return str(onnx) if onnx else None

    @property
    def metrics(self) -> dict[str, Any]:
        """``train/steps`` and ``train/mean_reward``, the keys the registry and the job result show."""
        return {"train/steps": self.steps, "train/mean_reward": self.mean_reward}

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON-ready record."""
        return {
            "onnx_path": self.onnx_path,
            "checkpoint_path": self.checkpoint_path,
            "run_dir": self.run_dir,
            "wall_seconds": self.wall_seconds,
            "history": [[s, r] for s, r in self.history],
            "history_spread": [list(row) for row in self.history_spread],
            "train/steps": self.steps,
            "train/mean_reward": self.mean_reward,
            "behavior_name": self.behavior_name,
            "backend": self.backend.value,
            "seed": self.seed,
            "resumed_from_checkpoint": self.resumed_from_checkpoint,
            "pretrain": None if self.pretrain is None else dict(self.pretrain),
            "trainer_config": dict(self.trainer_config),
            **({"mlagents_learn": dict(self.mlagents_learn)} if self.mlagents_learn is not None else {}),
            **_common(self),
        }

    @classmethod
    def from_dict(cls, data: Any) -> TrainOutput:
        """Read a stored train record.

        Raises:
            SpecError: naming the bad or missing key.

        """
        keys = ("onnx_path", "seed", "checkpoint_path", "run_dir", "wall_seconds", "history")
        keys += (
            "history_spread",
            "train/steps",
            "train/mean_reward",
            "behavior_name",
            "backend",
            "resumed_from_checkpoint",
        )
        keys += ("pretrain", "trainer_config", "mlagents_learn", *_COMMON_KEYS)
        data = check_keys(data, keys, "train", required=keys[:2])
        history = []
        for i, pair in enumerate(data.get("history") or ()):
            if not isinstance(pair, (list, tuple)) or len(pair) != 2:
                raise SpecError(f"train.history[{i}]: expected [step, reward], got {short(pair)}")
            history.append((to_int(pair[0], f"train.history[{i}]"), to_float(pair[1], f"train.history[{i}]")))
        spread = []
        for i, row in enumerate(data.get("history_spread") or ()):
            if not isinstance(row, (list, tuple)):
                raise SpecError(f"train.history_spread[{i}]: expected a list, got {short(row)}")
            spread.append(tuple(row))
        steps = data.get("train/steps")
        return cls(
            onnx_path=to_str(data["onnx_path"], "train.onnx_path"),
            seed=to_int(data["seed"], "train.seed"),
            checkpoint_path=to_str(data.get("checkpoint_path", ""), "train.checkpoint_path"),
            run_dir=to_str(data.get("run_dir", ""), "train.run_dir"),
            wall_seconds=to_float(data.get("wall_seconds", 0.0), "train.wall_seconds"),
            history=tuple(history),
            history_spread=tuple(spread),
            steps=None if steps is None else to_int(steps, "train.train/steps", minimum=0),
            mean_reward=_optional_float(data.get("train/mean_reward"), "train.train/mean_reward"),
            behavior_name=to_str(data.get("behavior_name", ""), "train.behavior_name"),
            backend=to_choice(data.get("backend", "builtin"), TrainerBackend, "train.backend"),
            resumed_from_checkpoint=to_bool(
                data.get("resumed_from_checkpoint", False), "train.resumed_from_checkpoint"
            ),
            pretrain=_optional_mapping(data.get("pretrain"), "train.pretrain"),
            trainer_config=_mapping(data.get("trainer_config", {}), "train.trainer_config"),
            mlagents_learn=_optional_mapping(data.get("mlagents_learn"), "train.mlagents_learn"),
            paths=_paths(data, "train"),
            execution=_execution(data, "train"),
        )


# --- evaluate -----------------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class EvaluateOutput(StageOutput):
    """Scores of the trained policy and its baselines (``orchestrator/stages/evaluate.py``)."""

    stage: ClassVar[str] = "evaluate"
    metrics: Mapping[str, Any]
    """``eval/…``, ``baseline/…``, ``eval_stochastic/…``, ``heuristic/…`` and ``unity/…`` metrics."""
    seed: int | None = None
    """The evaluation seed."""
    onnx_path: str = ""
    """The policy evaluated."""
    pretrained_metrics: Mapping[str, Any] | None = None
    """Offline RL: the pretrained policy's scores (the register stage offers it as its own candidate)."""
    unity_inference: Mapping[str, Any] | None = None
    """``build_backend: unity``: the player's inference smoke test (status, episodes, reward, log)."""

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON-ready record."""
        out: dict[str, Any] = {"metrics": dict(self.metrics), "seed": self.seed, "onnx_path": self.onnx_path}
        if self.pretrained_metrics is not None:
            out["pretrained_metrics"] = dict(self.pretrained_metrics)
        if self.unity_inference is not None:
            out["unity_inference"] = dict(self.unity_inference)
        return {**out, **_common(self)}

    @classmethod
    def from_dict(cls, data: Any) -> EvaluateOutput:
        """Read a stored evaluate record.

        Raises:
            SpecError: naming the bad or missing key.

        """
        keys = ("metrics", "seed", "onnx_path", "pretrained_metrics", "unity_inference", *_COMMON_KEYS)
        data = check_keys(data, keys, "evaluate", required=("metrics",))
        seed = data.get("seed")
        return cls(
            metrics=_mapping(data["metrics"], "evaluate.metrics"),
            seed=None if seed is None else to_int(seed, "evaluate.seed"),
            onnx_path=to_str(data.get("onnx_path", ""), "evaluate.onnx_path"),
            pretrained_metrics=_optional_mapping(
                data.get("pretrained_metrics"), "evaluate.pretrained_metrics"
            ),
            unity_inference=_optional_mapping(data.get("unity_inference"), "evaluate.unity_inference"),
            paths=_paths(data, "evaluate"),
            execution=_execution(data, "evaluate"),
        )


# --- package ------------------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class PackageOutput(StageOutput):
    """The model in the artifact store, its metadata and report (``orchestrator/stages/package.py``)."""

    stage: ClassVar[str] = "package"
    model_path: str
    """The ONNX file in the artifact store (sha256-addressed)."""
    model_sha256: str
    """Its sha256."""
    model_size: int | None = None
    """Its size in bytes."""
    metadata_sha256: str = ""
    """sha256 of ``metadata.json`` (lineage, versions, hashes)."""
    package_dir: str = ""
    """The package folder (``metadata.json``, ``report/``, ``report.html``): what registry mirrors upload."""

    @property
    def report_path(self) -> str | None:
        """The job's ``report.html`` (``paths["report"]``), when the package wrote one."""
        return self.paths.get("report")

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON-ready record."""
        return {
            "model_path": self.model_path,
            "model_sha256": self.model_sha256,
            "model_size": self.model_size,
            "metadata_sha256": self.metadata_sha256,
            "package_dir": self.package_dir,
            **_common(self),
        }

    @classmethod
    def from_dict(cls, data: Any) -> PackageOutput:
        """Read a stored package record.

        Raises:
            SpecError: naming the bad or missing key.

        """
        keys = ("model_path", "model_sha256", "model_size", "metadata_sha256", "package_dir", *_COMMON_KEYS)
        data = check_keys(data, keys, "package", required=keys[:2])
        size = data.get("model_size")
        return cls(
            model_path=to_str(data["model_path"], "package.model_path"),
            model_sha256=to_str(data["model_sha256"], "package.model_sha256"),
            model_size=None if size is None else to_int(size, "package.model_size", minimum=0),
            metadata_sha256=to_str(data.get("metadata_sha256", ""), "package.metadata_sha256"),
            package_dir=to_str(data.get("package_dir", ""), "package.package_dir"),
            paths=_paths(data, "package"),
            execution=_execution(data, "package"),
        )


# --- register -----------------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class RegisterOutput(StageOutput):
    """The registry version the job made and whether the gate promoted it (``stages/register.py``)."""

    stage: ClassVar[str] = "register"
    version: int
    """The version number in the local registry."""
    promoted: bool
    """True when this version became the champion."""
    asset_id: str = ""
    """The model's asset."""
    aliases: tuple[str, ...] = ()
    """Its aliases after registering (``candidate``, ``champion``)."""
    model_path: str = ""
    """The registered ONNX file."""
    external_ids: Mapping[str, Any] = field(default_factory=dict)
    """Ids in the mirrors (MLflow, Vertex AI)."""
    pretrained: Mapping[str, Any] | None = None
    """Offline RL: the pretrained policy's own version (``version``, ``promoted``, ``model_path``)."""
    identical_to_job: str | None = None
    """Set when the model was byte-identical to one an earlier job registered (no new version was made)."""

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON-ready record."""
        out: dict[str, Any] = {
            "asset_id": self.asset_id,
            "version": self.version,
            "promoted": self.promoted,
            "aliases": list(self.aliases),
            "model_path": self.model_path,
            "external_ids": dict(self.external_ids),
            "pretrained": None if self.pretrained is None else dict(self.pretrained),
        }
        if self.identical_to_job is not None:
            out["identical_to_job"] = self.identical_to_job
        return {**out, **_common(self)}

    @classmethod
    def from_dict(cls, data: Any) -> RegisterOutput:
        """Read a stored register record.

        Raises:
            SpecError: naming the bad or missing key.

        """
        keys = ("version", "promoted", "asset_id", "aliases", "model_path", "external_ids", "pretrained")
        keys += ("identical_to_job", *_COMMON_KEYS)
        data = check_keys(data, keys, "register", required=keys[:2])
        return cls(
            version=to_int(data["version"], "register.version", minimum=1),
            promoted=to_bool(data["promoted"], "register.promoted"),
            asset_id=to_str(data.get("asset_id", ""), "register.asset_id"),
            aliases=_strings(data.get("aliases", ()), "register.aliases"),
            model_path=to_str(data.get("model_path", ""), "register.model_path"),
            external_ids=_mapping(data.get("external_ids", {}), "register.external_ids"),
            pretrained=_optional_mapping(data.get("pretrained"), "register.pretrained"),
            identical_to_job=_optional_str(data.get("identical_to_job"), "register.identical_to_job"),
            paths=_paths(data, "register"),
            execution=_execution(data, "register"),
        )


# --- notify -------------------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class NotifyOutput(StageOutput):
    """The events handed to the notifier (``orchestrator/stages/notify.py``)."""

    stage: ClassVar[str] = "notify"
    sent: tuple[str, ...] = ()
    """``job.succeeded``, and ``model.promoted`` when the champion moved."""

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON-ready record."""
        return {"sent": list(self.sent), **_common(self)}

    @classmethod
    def from_dict(cls, data: Any) -> NotifyOutput:
        """Read a stored notify record.

        Raises:
            SpecError: naming the bad key.

        """
        data = check_keys(data, ("sent", *_COMMON_KEYS), "notify")
        return cls(
            sent=_strings(data.get("sent", ()), "notify.sent"),
            paths=_paths(data, "notify"),
            execution=_execution(data, "notify"),
        )


# --- by stage -----------------------------------------------------------------------------------------------

OUTPUT_TYPES: dict[str, type[StageOutput]] = {
    t.stage: t
    for t in (
        CodegenOutput,
        BuildOutput,
        TrainOutput,
        EvaluateOutput,
        PackageOutput,
        RegisterOutput,
        NotifyOutput,
    )
}
"""The record type of each stage, by stage name (``protocol.STAGE_NAMES`` order)."""


def decode_output(stage: str, data: Any, source: str) -> StageOutput | None:
    """Rebuild a stage's typed record from what the job store kept.

    Args:
        stage: the stage's name.
        data: the stored JSON (an empty mapping, or None, is a stage that handed nothing on).
        source: where the record comes from, named in errors (``pipeline.db, job j1``).

    Returns:
        The typed record, or None when the stage recorded nothing.

    Raises:
        StoreError: naming the source, the stage and the bad key, when the record does not decode (a
            corrupt store, or one written by an incompatible version).

    """
    if not data:
        return None
    kind = OUTPUT_TYPES.get(stage, StageOutput)
    try:
        return kind.from_dict(data)
    except SpecError as exc:
        raise StoreError(
            f"{source}: the stored outputs of stage '{stage}' do not load ({exc}); the record was written by "
            "an incompatible version or edited: re-run the job (`mlops-unity run`) rather than resuming it"
        ) from exc


def check_output(stage: str, output: StageOutput | None) -> None:
    """Check a stage handed on the record type of its stage (``outputs.OUTPUT_TYPES``).

    Raises:
        StageError: naming the stage and the type it returned (a stage implementation bug).

    """
    expected = OUTPUT_TYPES.get(stage)
    if output is not None and (expected is None or type(output) is not expected):
        want = expected.__name__ if expected is not None else "no output (not a pipeline stage)"
        raise StageError(f"stage '{stage}' returned {type(output).__name__}, expected {want}", stage=stage)
