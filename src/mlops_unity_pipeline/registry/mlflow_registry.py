"""MLflow mirror: each registered version becomes an MLflow run and a version of a registered model.

A run holds params, per-step metrics and artifacts; the model version lives in the registered model
``<prefix><asset_id>``, with the champion/candidate aliases kept in step.

Needs the ``[mlflow]`` extra. The local registry stays the source of truth: this mirror only writes to MLflow.
What lands in MLflow for local version ``n`` of asset ``a`` (made by job ``j``):

- a run named ``j`` in the experiment ``experiment_name`` with tags ``mlops.job_id``, ``mlops.asset_id``,
  ``mlops.local_version``, ``mlops.model_sha256``;
- params: the job's ``rl_config`` (``rl_config.*``) and the resolved trainer hyperparameters (``trainer.*``);
- metrics: ``train/mean_reward`` at every summary step of the training history, and every evaluation metric
  (``eval/mean_reward`` …) at the final step;
- artifacts: the package folder under ``package/`` and, under ``model/``, an MLflow **model** with the ONNX
  flavor (``MLmodel``, ``model.onnx``) whose signature names every input and output tensor of the ML-Agents
  graph, so ``mlflow.pyfunc.load_model("models:/<name>@champion").predict({"obs_0": ...})`` runs it;
- model version: source ``<run artifact uri>/model``, tags ``mlops.local_version``, ``mlops.model_sha256``;
  aliases ``champion``/``candidate`` set with ``set_registered_model_alias`` (it moves an alias atomically).

The version mapping is kept in both places: MLflow carries the local number as the ``mlops.local_version``
tag of its model version, and the local registry stores MLflow's number as the ``mlflow`` external id
(``models show`` prints it).
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from ..errors import MissingExtraError, RegistryError
from .base import ModelVersion

log = logging.getLogger(__name__)

ENV_TRACKING_URI = "MLFLOW_TRACKING_URI"
_MAX_PARAM_VALUE = 500  # MLflow < 2.x limit; 3.x allows 6000, the smaller keeps every store happy
_BATCH = 100  # log_batch accepts at most 100 params and 1000 metrics per call


def _flatten(prefix: str, value: Any) -> Iterator[tuple[str, Any]]:
    if isinstance(value, Mapping):
        for key, item in value.items():
            yield from _flatten(f"{prefix}.{key}" if prefix else str(key), item)
    else:
        yield prefix, value


def _param_value(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, default=str, sort_keys=True)
    return text if len(text) <= _MAX_PARAM_VALUE else text[: _MAX_PARAM_VALUE - 3] + "..."


def _history(metadata: Mapping[str, Any]) -> list[tuple[int, float]]:
    """(step, mean reward) pairs from ``metadata.json``'s ``training.history`` (lists or dicts)."""
    points = []
    for item in (metadata.get("training") or {}).get("history") or []:
        if isinstance(item, Mapping):
            step, value = item.get("step"), item.get("mean_reward", item.get("value"))
        elif isinstance(item, (list, tuple)) and len(item) >= 2:
            step, value = item[0], item[1]
        else:
            continue
        if isinstance(step, (int, float)) and isinstance(value, (int, float)):
            points.append((int(step), float(value)))
    return points


def onnx_signature(graph: Any) -> Any:
    """Return the MLflow ``ModelSignature`` of an ONNX graph: one named tensor spec per input and output.

    A symbolic dimension (the ``batch`` axis of ML-Agents models) becomes ``-1`` (any size).
    """
    from mlflow.models.signature import ModelSignature  # optional
    from mlflow.types.schema import Schema, TensorSpec  # optional
    from onnx.helper import tensor_dtype_to_np_dtype  # heavy

    initializers = {init.name for init in graph.graph.initializer}

    def specs(values: Any) -> Schema:
        out = []
        for value in values:
            if value.name in initializers:
                continue
            tensor = value.type.tensor_type
            shape = tuple(d.dim_value if d.HasField("dim_value") else -1 for d in tensor.shape.dim)
            out.append(TensorSpec(tensor_dtype_to_np_dtype(tensor.elem_type), shape, value.name))
        return Schema(out)

    return ModelSignature(inputs=specs(graph.graph.input), outputs=specs(graph.graph.output))


class MlflowMirror:
    """Mirrors registered versions and alias moves into an MLflow tracking server and model registry.

    Args:
        tracking_uri: ``sqlite:///mlflow.db``, ``http://mlflow:5000`` …; default ``$MLFLOW_TRACKING_URI``.
        registered_model_prefix: prepended to the asset id to name the registered model.
        experiment_name: the experiment runs are logged to.
        registry_uri: the model registry URI when it differs from the tracking URI.

    Raises:
        MissingExtraError: when ``mlflow`` is not installed (``pip install 'mlops_unity_pipeline[mlflow]'``).
        RegistryError: when no tracking URI is given or configured.

    """

    name = "mlflow"

    def __init__(
        self,
        tracking_uri: str | None = None,
        registered_model_prefix: str = "",
        *,
        experiment_name: str = "mlops-unity",
        registry_uri: str | None = None,
    ) -> None:
        try:
            from mlflow.tracking import MlflowClient  # optional
        except ImportError as exc:
            raise MissingExtraError("mlflow", "the MLflow registry mirror") from exc
        self.tracking_uri = tracking_uri or os.environ.get(ENV_TRACKING_URI) or None
        if not self.tracking_uri:
            raise RegistryError(
                f"MLflow mirror: no tracking URI; pass tracking_uri= or set {ENV_TRACKING_URI} "
                "(e.g. sqlite:///mlflow.db or http://host:5000)"
            )
        self.registry_uri = registry_uri or self.tracking_uri
        self.registered_model_prefix = registered_model_prefix
        self.experiment_name = experiment_name
        self._client = MlflowClient(tracking_uri=self.tracking_uri, registry_uri=self.registry_uri)

    def model_name(self, asset_id: str) -> str:
        """Return the registered model name of an asset (``<prefix><asset_id>``)."""
        return f"{self.registered_model_prefix}{asset_id}"

    # --- RegistryMirror -------------------------------------------------------------------------------------

    def on_registered(self, version: ModelVersion, artifact_dir: Path) -> dict[str, Any]:
        """Log the job as an MLflow run and register its ONNX as a new model version.

        Args:
            version: the local version just registered.
            artifact_dir: its package folder (``metadata.json``, report).

        Returns:
            ``{"run_id", "experiment_id", "registered_model", "model_version"}``.

        Raises:
            RegistryError: when MLflow rejects a call (the message names the MLflow error).

        """
        from mlflow.entities import Metric, Param, RunTag  # optional
        from mlflow.exceptions import MlflowException  # optional

        artifact_dir = Path(artifact_dir)
        metadata = self._read_metadata(artifact_dir)
        name = self.model_name(version.asset_id)
        tags = {
            "mlops.job_id": version.job_id,
            "mlops.asset_id": version.asset_id,
            "mlops.local_version": str(version.version),
            "mlops.model_sha256": version.sha256,
        }
        try:
            experiment_id = self._experiment_id()
            run = self._client.create_run(experiment_id, run_name=version.job_id, tags=tags)
            run_id = run.info.run_id
            params = [Param(k, _param_value(v)) for k, v in self._params(metadata)]
            now_ms = int(time.time() * 1000)
            history = _history(metadata)
            final_step = (
                history[-1][0] if history else int((metadata.get("training") or {}).get("steps") or 0)
            )
            metrics = [Metric("train/mean_reward", value, now_ms, step) for step, value in history]
            metrics += [
                Metric(key, float(value), now_ms, final_step)
                for key, value in sorted(version.metrics.items())
                if isinstance(value, (int, float)) and not isinstance(value, bool)
            ]
            for start in range(0, max(len(params), len(metrics), 1), _BATCH):
                self._client.log_batch(
                    run_id,
                    metrics=metrics[start : start + _BATCH],
                    params=params[start : start + _BATCH],
                    tags=[RunTag("mlops.source", "mlops_unity_pipeline")] if start == 0 else [],
                )
            if artifact_dir.is_dir():
                self._client.log_artifacts(run_id, str(artifact_dir), artifact_path="package")
            model_path = Path(version.model_path)
            if not model_path.is_file():
                raise RegistryError(f"MLflow mirror: model file {model_path} is missing")
            self._log_onnx_model(run_id, model_path)
            self._client.set_terminated(run_id, "FINISHED")
            self._ensure_registered_model(name, version.asset_id)
            model_version = self._client.create_model_version(
                name,
                source=f"{run.info.artifact_uri}/model",
                run_id=run_id,
                tags={"mlops.local_version": str(version.version), "mlops.model_sha256": version.sha256},
                description=f"local version {version.version} of {version.asset_id} (job {version.job_id})",
            )
        except MlflowException as exc:
            raise RegistryError(f"MLflow mirror ({self.tracking_uri}): {exc.message}") from exc
        log.info("mlflow: %s v%s <- local v%d (run %s)", name, model_version.version, version.version, run_id)
        return {
            "run_id": run_id,
            "experiment_id": experiment_id,
            "registered_model": name,
            "model_version": str(model_version.version),
        }

    def on_alias_moved(self, asset_id: str, alias: str, version: ModelVersion) -> None:
        """Point the same alias at the MLflow model version that mirrors ``version``.

        Raises:
            RegistryError: when MLflow has no version for it, or rejects the call.

        """
        from mlflow.exceptions import MlflowException  # optional

        name = self.model_name(asset_id)
        try:
            mlflow_version = self.find_version(asset_id, version.version)
            if mlflow_version is None:
                raise RegistryError(
                    f"MLflow mirror: registered model '{name}' has no version for local version "
                    f"{version.version}; it was never mirrored"
                )
            self._client.set_registered_model_alias(name, alias, mlflow_version)
        except MlflowException as exc:
            raise RegistryError(f"MLflow mirror ({self.tracking_uri}): {exc.message}") from exc
        log.info("mlflow: %s@%s -> v%s (local v%d)", name, alias, mlflow_version, version.version)

    def find_version(self, asset_id: str, local_version: int) -> str | None:
        """Return the MLflow version number mirroring a local version (by its ``mlops.local_version`` tag)."""
        name = self.model_name(asset_id)
        found = self._client.search_model_versions(f"name='{name}'")
        matches = [mv for mv in found if mv.tags.get("mlops.local_version") == str(local_version)]
        if not matches:
            return None
        return str(max(int(mv.version) for mv in matches))

    # --- helpers --------------------------------------------------------------------------------------------

    def _log_onnx_model(self, run_id: str, model_path: Path) -> None:
        """Save the ONNX as an MLflow model (ONNX flavor, pyfunc, signature) and log it under ``model/``.

        ``save_model`` then ``log_artifacts`` rather than ``mlflow.onnx.log_model``: the latter needs the
        global fluent run state, which is not safe when several jobs register from worker threads.
        """
        import mlflow.onnx  # optional
        import onnx  # heavy

        try:
            graph = onnx.load(str(model_path))
        except Exception as exc:  # onnx raises DecodeError and friends for a damaged file
            raise RegistryError(f"MLflow mirror: {model_path} is not a readable ONNX model: {exc}") from exc
        with tempfile.TemporaryDirectory(prefix="mlflow-model-") as tmp:
            target = Path(tmp) / "model"
            mlflow.onnx.save_model(graph, str(target), signature=onnx_signature(graph))
            self._client.log_artifacts(run_id, str(target), artifact_path="model")

    def _experiment_id(self) -> str:
        experiment = self._client.get_experiment_by_name(self.experiment_name)
        if experiment is not None:
            return str(experiment.experiment_id)
        return str(self._client.create_experiment(self.experiment_name))

    def _ensure_registered_model(self, name: str, asset_id: str) -> None:
        from mlflow.exceptions import MlflowException  # optional

        try:
            self._client.get_registered_model(name)
        except MlflowException:
            self._client.create_registered_model(
                name, tags={"mlops.asset_id": asset_id}, description=f"Unity ML-Agents policy for {asset_id}"
            )

    @staticmethod
    def _read_metadata(artifact_dir: Path) -> dict[str, Any]:
        path = artifact_dir / "metadata.json"
        if not path.is_file():
            return {}
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise RegistryError(f"MLflow mirror: cannot read {path}: {exc}") from exc
        return data if isinstance(data, dict) else {}

    @staticmethod
    def _params(metadata: Mapping[str, Any]) -> list[tuple[str, Any]]:
        params: dict[str, Any] = {}
        rl_config = (metadata.get("job") or {}).get("rl_config") or {}
        params.update(_flatten("rl_config", rl_config))
        trainer = metadata.get("trainer_config") or {}
        behaviors = trainer.get("behaviors") if isinstance(trainer, Mapping) else None
        if isinstance(behaviors, Mapping) and len(behaviors) == 1:
            trainer = next(iter(behaviors.values()))  # one behavior: drop its name from every key
        params.update(_flatten("trainer", trainer))
        return sorted((k, v) for k, v in params.items() if v is not None and v != {} and v != [])
