"""Vertex AI mirror: promoted versions are uploaded to the Vertex AI Model Registry with ``Model.upload``.

Needs the ``[vertex]`` extra (``google-cloud-aiplatform``). For local version ``n`` of asset ``a``:

1. the ONNX and the package folder are staged to
   ``<staging_bucket>/mlops-unity/<model_id>/v<n>-<sha256[:12]>/`` by an ``ArtifactUploader``
   (``GcsUploader`` by default; tests inject a local fake);
2. ``aiplatform.Model.upload`` registers it: ``model_id`` = the sanitized asset id for the first version,
   ``parent_model`` = that model for every later one (so all versions of an asset live under one model),
   ``labels`` = job id, asset id, local version and sha256 (see below), ``version_aliases`` = the local
   aliases it holds, ``is_default_version`` = whether it is the champion;
3. alias moves call ``mergeVersionAliases``: the alias is first removed from the version holding it, then
   added to the new one, so exactly one version carries ``champion``.

Vertex's rules, and how names are made to respect them (``docs/integrations.md``):

- model id: 5-63 characters of ``[a-z0-9_-]``, not starting with a digit or ``-``;
- label keys and values: at most 63 characters of ``[a-z0-9_-]`` (keys start with a letter). Values are
  lowercased, other characters become ``-``, and a value over 63 characters keeps its first 54 characters
  plus ``-`` and 8 hex characters of its sha1 (still unique). The 64-character sha256 does not fit one
  label: it is split into ``mlops-sha256-a`` (first 32 hex) and ``mlops-sha256-b`` (last 32 hex);
- version aliases: ``[a-z][a-zA-Z0-9-]{0,126}[a-z0-9-]``, and ``default`` is Vertex's own.

``upload_on="promoted"`` (default) uploads only versions that become champion — when registered as
champion or when promoted later; ``upload_on="registered"`` uploads every version.
"""

from __future__ import annotations

import hashlib
import importlib
import logging
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Protocol

from ..errors import MissingExtraError, RegistryError
from .base import CHAMPION, ModelVersion

log = logging.getLogger(__name__)

ENV_PROJECT = ("GOOGLE_CLOUD_PROJECT", "CLOUDSDK_CORE_PROJECT")
ENV_LOCATION = "MLOPS_VERTEX_LOCATION"
ENV_STAGING_BUCKET = "MLOPS_VERTEX_STAGING_BUCKET"

DEFAULT_SERVING_IMAGE = "us-docker.pkg.dev/vertex-ai/prediction/sklearn-cpu.1-3:latest"
"""Vertex needs a serving container to register a model; ONNX policies are pulled by Unity, not served, so
any prebuilt image will do. Pass ``serving_container_image_uri`` to serve them with your own."""

LABEL_MAX = 63
_LABEL_BAD = re.compile(r"[^a-z0-9_-]")
_ALIAS_RE = re.compile(r"^[a-z][a-zA-Z0-9-]{0,126}[a-z0-9-]$")
_LOCATION_RE = re.compile(r"^[a-z]+(-[a-z]+)+[0-9]+$")
_PROJECT_RE = re.compile(r"^[a-z][a-z0-9-]{4,28}[a-z0-9]$")


def label_value(value: str) -> str:
    """Make a Vertex label value: lowercase, ``[a-z0-9_-]`` only, at most 63 characters, still unique.

    Args:
        value: any text (a job id, an asset id).

    Returns:
        The sanitized value; when it had to be shortened, its first 54 characters, ``-`` and 8 hex of sha1.

    """
    clean = _LABEL_BAD.sub("-", str(value).lower())
    if len(clean) > LABEL_MAX:
        digest = hashlib.sha1(str(value).encode("utf-8")).hexdigest()[:8]
        clean = f"{clean[: LABEL_MAX - 9]}-{digest}"
    return clean


def model_id_for(asset_id: str) -> str:
    """Return the Vertex model id of an asset: 5-63 of ``[a-z0-9_-]``, starting with a letter.

    Args:
        asset_id: the asset id (``specs.validate_id`` rules).

    Returns:
        The deterministic model id (``Agent.V2`` → ``agent-v2``; a leading digit gets an ``m-`` prefix).

    """
    clean = _LABEL_BAD.sub("-", asset_id.lower())
    if not clean[:1].isalpha():
        clean = "m-" + clean
    digest = hashlib.sha1(asset_id.encode("utf-8")).hexdigest()[:8]
    if len(clean) < 5:
        clean = f"{clean}-{digest}"
    if len(clean) > LABEL_MAX:
        clean = f"{clean[: LABEL_MAX - 9]}-{digest}"
    return clean


def check_alias(alias: str) -> str:
    """Check a version alias against Vertex's rule (and keep ``default``, which Vertex manages, out).

    Args:
        alias: e.g. ``champion``.

    Returns:
        The alias.

    Raises:
        RegistryError: when Vertex would reject it.

    """
    if alias == "default" or not _ALIAS_RE.match(alias):
        raise RegistryError(
            f"Vertex AI mirror: alias {alias!r} is not a valid Vertex version alias "
            "([a-z][a-zA-Z0-9-]{0,126}[a-z0-9-], not 'default')"
        )
    return alias


class ArtifactUploader(Protocol):
    """Copies local files under a ``gs://`` prefix (injectable, so tests need no Google Cloud)."""

    def upload(self, files: Mapping[str, Path], destination: str) -> list[str]:
        """Upload ``files`` (relative name → local path) under ``destination``; return the object URIs."""
        ...


class GcsUploader:
    """Uploads with ``google-cloud-storage`` (installed with ``google-cloud-aiplatform``).

    Args:
        project: the billing project.
        credentials: Google credentials (default: application default credentials).
        api_endpoint: Cloud Storage endpoint override (e.g. a local fake in tests).

    """

    def __init__(
        self, project: str | None = None, credentials: Any = None, api_endpoint: str | None = None
    ) -> None:
        self.project = project
        self.credentials = credentials
        self.api_endpoint = api_endpoint
        self._client: Any = None

    def upload(self, files: Mapping[str, Path], destination: str) -> list[str]:
        """Upload every file as ``<destination>/<relative name>``; return the ``gs://`` URIs.

        Raises:
            RegistryError: when ``destination`` is not a ``gs://bucket[/prefix]`` URI.

        """
        from google.cloud import storage  # optional

        if not destination.startswith("gs://") or not destination[len("gs://") :].strip("/"):
            raise RegistryError(
                f"GCS upload: expected a gs://bucket[/prefix] destination, got {destination!r}"
            )
        bucket_name, _, prefix = destination[len("gs://") :].partition("/")
        if self._client is None:
            options = {"api_endpoint": self.api_endpoint} if self.api_endpoint else None
            self._client = storage.Client(
                project=self.project, credentials=self.credentials, client_options=options
            )
        bucket = self._client.bucket(bucket_name)
        uris = []
        for relative, path in sorted(files.items()):
            name = f"{prefix.strip('/')}/{relative}" if prefix.strip("/") else relative
            bucket.blob(name).upload_from_filename(str(path))
            uris.append(f"gs://{bucket_name}/{name}")
        return uris


class VertexMirror:
    """Mirrors promoted versions (or all, see ``upload_on``) and alias moves into Vertex AI Model Registry.

    Args:
        project: Google Cloud project id; default ``$GOOGLE_CLOUD_PROJECT`` (or ``$CLOUDSDK_CORE_PROJECT``).
        location: region, e.g. ``us-central1``; default ``$MLOPS_VERTEX_LOCATION`` or ``us-central1``.
        staging_bucket: ``gs://bucket[/prefix]`` for the artifacts; default ``$MLOPS_VERTEX_STAGING_BUCKET``.
        credentials: Google credentials; default: application default credentials (checked here).
        uploader: stages the files; default ``GcsUploader``.
        serving_container_image_uri: the container Vertex records for serving.
        upload_on: ``"promoted"`` (champions only) or ``"registered"`` (every version).
        display_name_prefix: prepended to the asset id for the model's display name.
        api_endpoint: Vertex API endpoint override (a regional endpoint, or a local fake in tests).
        api_transport: ``"grpc"`` or ``"rest"`` (a plain-HTTP fake endpoint needs ``"rest"``).

    Raises:
        MissingExtraError: when ``google-cloud-aiplatform`` is not installed.
        RegistryError: when the project, staging bucket or credentials are missing or malformed.

    """

    name = "vertex"

    def __init__(
        self,
        project: str | None = None,
        location: str | None = None,
        staging_bucket: str | None = None,
        *,
        credentials: Any = None,
        uploader: ArtifactUploader | None = None,
        serving_container_image_uri: str = DEFAULT_SERVING_IMAGE,
        upload_on: str = "promoted",
        display_name_prefix: str = "",
        api_endpoint: str | None = None,
        api_transport: str | None = None,
    ) -> None:
        try:
            aiplatform = importlib.import_module("google.cloud.aiplatform")
        except ImportError as exc:
            raise MissingExtraError("vertex", "the Vertex AI registry mirror") from exc
        self._aiplatform = aiplatform
        self.project = project or next((os.environ[k] for k in ENV_PROJECT if os.environ.get(k)), None)
        if not self.project:
            raise RegistryError(
                "Vertex AI mirror: no Google Cloud project; pass project= or set GOOGLE_CLOUD_PROJECT"
            )
        if not _PROJECT_RE.match(self.project):
            raise RegistryError(
                f"Vertex AI mirror: project {self.project!r} is not a Google Cloud project id "
                "(6-30 lowercase letters, digits or '-', starting with a letter)"
            )
        self.location = location or os.environ.get(ENV_LOCATION) or "us-central1"
        if not _LOCATION_RE.match(self.location):
            raise RegistryError(
                f"Vertex AI mirror: location {self.location!r} is not a region like 'us-central1'"
            )
        self.staging_bucket = (staging_bucket or os.environ.get(ENV_STAGING_BUCKET) or "").rstrip("/")
        if not self.staging_bucket.startswith("gs://") or len(self.staging_bucket) <= len("gs://"):
            raise RegistryError(
                f"Vertex AI mirror: staging_bucket must be a gs:// URI (or set {ENV_STAGING_BUCKET}), "
                f"got {self.staging_bucket or None!r}"
            )
        if upload_on not in ("promoted", "registered"):
            raise RegistryError(
                f"Vertex AI mirror: upload_on must be 'promoted' or 'registered', got {upload_on!r}"
            )
        self.credentials = credentials if credentials is not None else self._default_credentials()
        self.uploader = uploader if uploader is not None else GcsUploader(self.project, self.credentials)
        self.serving_container_image_uri = serving_container_image_uri
        self.upload_on = upload_on
        self.display_name_prefix = display_name_prefix
        self.api_endpoint = api_endpoint
        self.api_transport = api_transport

    # --- RegistryMirror -------------------------------------------------------------------------------------

    def on_registered(self, version: ModelVersion, artifact_dir: Path) -> dict[str, Any]:
        """Upload the version when the policy says so (champion, or every version).

        Args:
            version: the local version just registered (with its aliases).
            artifact_dir: its package folder.

        Returns:
            ``{"model", "version_id", "artifact_uri"}`` once uploaded, else ``{"uploaded": False}``.

        Raises:
            RegistryError: when staging or the upload fails.

        """
        if self.upload_on == "promoted" and CHAMPION not in version.aliases:
            log.info("vertex: %s v%d not promoted; not uploaded", version.asset_id, version.version)
            return {"uploaded": False}
        return self.upload(version, Path(artifact_dir), aliases=version.aliases)

    def on_alias_moved(self, asset_id: str, alias: str, version: ModelVersion) -> None:
        """Move ``alias`` to the Vertex version of ``version`` (uploading a newly promoted champion first).

        Raises:
            RegistryError: on an invalid alias, or when Vertex rejects a call.

        """
        check_alias(alias)
        self._init()
        resource = self.model_resource(asset_id)
        target = self._version_of(resource, version.version)
        if target is None:
            if alias == CHAMPION or self.upload_on == "registered":
                artifact_dir = Path(version.artifact_dir) if version.artifact_dir else None
                self.upload(version, artifact_dir, aliases=(alias,))
            else:  # not uploaded (upload_on="promoted"): the alias must not keep naming an older version
                self._release_alias(resource, alias, keep=None)
                log.info("vertex: %s v%d is not uploaded; alias %s removed", asset_id, version.version, alias)
            return
        holders = self._release_alias(resource, alias, keep=target)
        if target not in holders:
            try:
                self._registry(resource).add_version_aliases([alias], target)
            except Exception as exc:  # google.api_core errors: any failure is a mirror failure
                raise RegistryError(
                    f"Vertex AI mirror: adding {alias} to {resource}@{target} failed: {exc}"
                ) from exc
        log.info("vertex: %s@%s -> version %s (local v%d)", resource, alias, target, version.version)

    # --- uploading ------------------------------------------------------------------------------------------

    def upload(
        self, version: ModelVersion, artifact_dir: Path | None, aliases: tuple[str, ...]
    ) -> dict[str, Any]:
        """Stage the artifacts and call ``Model.upload`` (new model, or a new version of the asset's model).

        Args:
            version: the local version.
            artifact_dir: its package folder (staged next to the ONNX), or None.
            aliases: version aliases to set at upload.

        Returns:
            ``{"model": resource name, "version_id", "artifact_uri"}``.

        Raises:
            RegistryError: when the model file is missing, staging fails or Vertex rejects the upload.

        """
        self._init()
        model_id = model_id_for(version.asset_id)
        artifact_uri = (
            f"{self.staging_bucket}/mlops-unity/{model_id}/v{version.version}-{version.sha256[:12]}"
        )
        model_path = Path(version.model_path)
        if not model_path.is_file():
            raise RegistryError(f"Vertex AI mirror: model file {model_path} is missing")
        files = {model_path.name: model_path}
        if artifact_dir is not None and artifact_dir.is_dir():
            for path in sorted(artifact_dir.rglob("*")):
                if path.is_file():
                    files[f"package/{path.relative_to(artifact_dir).as_posix()}"] = path
        try:
            self.uploader.upload(files, artifact_uri)
        except Exception as exc:  # storage client errors, permissions, network
            raise RegistryError(f"Vertex AI mirror: staging to {artifact_uri} failed: {exc}") from exc
        resource = self.model_resource(version.asset_id)
        parent = self._existing_model(resource)
        labels = self.labels(version)
        aliases = tuple(check_alias(a) for a in aliases)
        if parent is not None:
            for alias in aliases:  # the new version takes these aliases: free them on older versions first
                self._release_alias(resource, alias, keep=None)
        try:
            model = self._aiplatform.Model.upload(
                display_name=f"{self.display_name_prefix}{version.asset_id}",
                artifact_uri=artifact_uri + "/",
                serving_container_image_uri=self.serving_container_image_uri,
                model_id=None if parent else model_id,
                parent_model=parent,
                is_default_version=CHAMPION in version.aliases or parent is None,
                version_aliases=list(aliases) or None,
                version_description=(
                    f"local version {version.version} of {version.asset_id} from job {version.job_id}; "
                    f"sha256 {version.sha256}"
                ),
                description=f"Unity ML-Agents policy for {version.asset_id} (mlops_unity_pipeline)",
                labels=labels,
                project=self.project,
                location=self.location,
                credentials=self.credentials,
                sync=True,
            )
        except Exception as exc:  # google.api_core errors (PermissionDenied, InvalidArgument …)
            raise RegistryError(
                f"Vertex AI mirror: Model.upload of {version.asset_id} failed: {exc}"
            ) from exc
        log.info(
            "vertex: uploaded %s v%d as %s version %s",
            version.asset_id,
            version.version,
            model.resource_name,
            model.version_id,
        )
        return {
            "model": model.resource_name,
            "version_id": str(model.version_id),
            "artifact_uri": artifact_uri,
        }

    def labels(self, version: ModelVersion) -> dict[str, str]:
        """Return the Vertex labels of a version (sanitized; see the module docstring)."""
        return {
            "managed-by": "mlops-unity-pipeline",
            "mlops-asset-id": label_value(version.asset_id),
            "mlops-job-id": label_value(version.job_id),
            "mlops-local-version": str(version.version),
            "mlops-sha256-a": label_value(version.sha256[:32]),
            "mlops-sha256-b": label_value(version.sha256[32:64]),
        }

    def model_resource(self, asset_id: str) -> str:
        """Return the model's resource name: ``projects/<p>/locations/<l>/models/<model_id>``."""
        return f"projects/{self.project}/locations/{self.location}/models/{model_id_for(asset_id)}"

    # --- helpers --------------------------------------------------------------------------------------------

    def _init(self) -> None:
        # aiplatform keeps the endpoint and transport in its global config; set ours before every call.
        self._aiplatform.init(
            project=self.project,
            location=self.location,
            credentials=self.credentials,
            api_endpoint=self.api_endpoint,
            api_transport=self.api_transport,
        )

    def _registry(self, resource: str) -> Any:
        return self._aiplatform.models.ModelRegistry(
            resource, project=self.project, location=self.location, credentials=self.credentials
        )

    def _release_alias(self, resource: str, alias: str, keep: str | None) -> set[str]:
        """Remove ``alias`` from every version but ``keep``; return the versions that held it.

        A Vertex alias names one version; removing it explicitly does not rely on an implicit move.
        """
        from google.api_core import exceptions  # optional

        registry = self._registry(resource)
        try:
            holders = {
                str(info.version_id)
                for info in registry.list_versions()
                if alias in (info.version_aliases or ())
            }
            for version_id in sorted(holders - {keep}):
                registry.remove_version_aliases([alias], version_id)
        except exceptions.NotFound:  # no model yet: nobody holds the alias
            return set()
        except Exception as exc:  # google.api_core errors
            raise RegistryError(f"Vertex AI mirror: releasing {alias} on {resource} failed: {exc}") from exc
        return holders

    def _existing_model(self, resource: str) -> str | None:
        from google.api_core import exceptions  # optional

        try:
            self._aiplatform.Model(resource, credentials=self.credentials)
        except exceptions.NotFound:
            return None
        except Exception as exc:
            raise RegistryError(f"Vertex AI mirror: reading {resource} failed: {exc}") from exc
        return resource

    def _version_of(self, resource: str, local_version: int) -> str | None:
        """Return the Vertex version id labelled ``mlops-local-version=<n>``, or None (none or no model)."""
        from google.api_core import exceptions  # optional

        try:
            found = self._registry(resource).list_versions(
                filter=f'labels.mlops-local-version="{local_version}"'
            )
        except exceptions.NotFound:
            return None
        except Exception as exc:
            raise RegistryError(f"Vertex AI mirror: listing versions of {resource} failed: {exc}") from exc
        return str(found[-1].version_id) if found else None

    @staticmethod
    def _default_credentials() -> Any:
        import google.auth  # optional
        from google.auth.exceptions import DefaultCredentialsError  # optional

        try:
            credentials, _ = google.auth.default(scopes=["https://www.googleapis.com/auth/cloud-platform"])
        except DefaultCredentialsError as exc:
            raise RegistryError(
                "Vertex AI mirror: no Google Cloud credentials found; run "
                "`gcloud auth application-default login` or set GOOGLE_APPLICATION_CREDENTIALS "
                "to a service-account key file"
            ) from exc
        return credentials
