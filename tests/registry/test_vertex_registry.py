"""VertexMirror against a local fake Vertex AI REST endpoint: exact upload request bodies, aliases, errors."""

from __future__ import annotations

import json
import shutil
import sys
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from mlops_unity_pipeline.errors import MissingExtraError, RegistryError
from mlops_unity_pipeline.registry.base import ModelVersion
from mlops_unity_pipeline.registry.local import LocalRegistry
from mlops_unity_pipeline.store.artifacts import ArtifactStore

pytest.importorskip("google.cloud.aiplatform", reason="the [vertex] extra is not installed")

from mlops_unity_pipeline.registry.vertex_registry import (  # noqa: E402 - after the importorskip
    DEFAULT_SERVING_IMAGE,
    VertexMirror,
    check_alias,
    label_value,
    model_id_for,
)

PROJECT, LOCATION = "demo-project", "us-central1"
PARENT = f"projects/{PROJECT}/locations/{LOCATION}"


class FakeVertex:
    """A small in-memory Vertex AI Model Registry speaking the v1 REST API the SDK's rest transport uses.

    Like the real service it keeps one holder per alias: adding an alias another version holds is a 400.
    """

    def __init__(self) -> None:
        self.models: dict[str, dict] = {}  # model id -> {"displayName", "versions": {vid: json}}
        self.requests: list[dict] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                fake.handle(self, "GET")

            def do_POST(self) -> None:  # noqa: N802
                fake.handle(self, "POST")

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.endpoint = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    # --- request handling --------------------------------------------------------------------------------

    def handle(self, handler: BaseHTTPRequestHandler, method: str) -> None:
        raw_path, _, raw_query = handler.path.partition("?")
        path = urllib.parse.unquote(raw_path)
        query = {k: v[0] for k, v in urllib.parse.parse_qs(raw_query).items() if k != "$alt"}
        length = int(handler.headers.get("Content-Length") or 0)
        body = json.loads(handler.rfile.read(length)) if length else None
        self.requests.append({"method": method, "path": path, "query": query, "body": body})
        status, answer = self.route(method, path.removeprefix(f"/v1/{PARENT}/"), query, body)
        data = json.dumps(answer).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)

    def route(self, method: str, rest: str, query: dict, body: dict | None) -> tuple[int, dict]:
        if method == "POST" and rest == "models:upload":
            return self.upload(body)
        name, _, verb = rest.partition(":")
        model_id, _, version = name.removeprefix("models/").partition("@")
        model = self.models.get(model_id)
        if model is None:
            return 404, {
                "error": {"code": 404, "message": f"model {model_id} not found", "status": "NOT_FOUND"}
            }
        if method == "GET" and verb == "":
            version = version or next(
                v for v, m in model["versions"].items() if "default" in m["versionAliases"]
            )
            return 200, model["versions"][version]
        if method == "GET" and verb == "listVersions":
            found = list(model["versions"].values())
            if "filter" in query:  # labels.<key>="<value>"
                key, _, value = query["filter"].removeprefix("labels.").partition("=")
                found = [m for m in found if m["labels"].get(key) == value.strip('"')]
            return 200, {"models": found}
        if method == "POST" and verb == "mergeVersionAliases":
            target = model["versions"][version]
            for alias in body["versionAliases"]:
                if alias.startswith("-"):
                    target["versionAliases"] = [a for a in target["versionAliases"] if a != alias[1:]]
                    continue
                for other in model["versions"].values():
                    if other is not target and alias in other["versionAliases"]:
                        return 400, {
                            "error": {
                                "code": 400,
                                "message": f"alias {alias} is used by version {other['versionId']}",
                                "status": "INVALID_ARGUMENT",
                            }
                        }
                if alias not in target["versionAliases"]:
                    target["versionAliases"].append(alias)
            return 200, target
        return 400, {
            "error": {"code": 400, "message": f"unsupported {method} {rest}", "status": "INVALID_ARGUMENT"}
        }

    def upload(self, body: dict) -> tuple[int, dict]:
        spec = body["model"]
        if "parentModel" in body:
            model_id = body["parentModel"].rsplit("/", 1)[1]
            model = self.models[model_id]
        else:
            model_id = body["modelId"]
            model = self.models.setdefault(model_id, {"versions": {}})
        aliases = list(spec.get("versionAliases", []))
        for alias in aliases:
            for other in model["versions"].values():
                if alias in other["versionAliases"]:
                    if alias != "default":
                        return 400, {
                            "error": {
                                "code": 400,
                                "message": f"alias {alias} in use",
                                "status": "INVALID_ARGUMENT",
                            }
                        }
                    other["versionAliases"].remove("default")  # the default moves to the new version
        version_id = str(len(model["versions"]) + 1)
        name = f"{PARENT}/models/{model_id}"
        model["versions"][version_id] = {
            "name": name,
            "displayName": spec["displayName"],
            "versionId": version_id,
            "versionAliases": aliases,
            "labels": spec.get("labels", {}),
            "artifactUri": spec.get("artifactUri", ""),
            "versionDescription": spec.get("versionDescription", ""),
        }
        return 200, {
            "name": f"{name}/operations/{len(self.requests)}",
            "done": True,
            "response": {
                "@type": "type.googleapis.com/google.cloud.aiplatform.v1.UploadModelResponse",
                "model": name,
                "modelVersionId": version_id,
            },
        }

    def aliases(self, model_id: str) -> dict[str, list[str]]:
        return {v: sorted(m["versionAliases"]) for v, m in self.models[model_id]["versions"].items()}

    def uploads(self) -> list[dict]:
        return [r["body"] for r in self.requests if r["path"].endswith("models:upload")]


class LocalBucket:
    """The injected uploader: 'gs://bucket/prefix' maps to a folder; records what was staged."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.calls: list[tuple[str, list[str]]] = []

    def upload(self, files, destination):
        self.calls.append((destination, sorted(files)))
        target = self.root / destination.removeprefix("gs://")
        uris = []
        for relative, path in files.items():
            (target / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target / relative)
            uris.append(f"{destination}/{relative}")
        return uris


@pytest.fixture
def fake_vertex():
    """A running fake Vertex endpoint."""
    fake = FakeVertex()
    yield fake
    fake.close()


def make_mirror(fake: FakeVertex, bucket: LocalBucket, **kwargs) -> VertexMirror:
    from google.auth.credentials import AnonymousCredentials

    return VertexMirror(
        PROJECT,
        LOCATION,
        "gs://staging-bucket/ml",
        credentials=AnonymousCredentials(),
        uploader=bucket,
        api_endpoint=fake.endpoint,
        api_transport="rest",
        **kwargs,
    )


def register(
    tmp_path: Path,
    registry: LocalRegistry,
    artifacts: ArtifactStore,
    job_id: str,
    content: bytes,
    reward: float,
) -> ModelVersion:
    folder = tmp_path / "jobs" / job_id / "package"
    folder.mkdir(parents=True)
    (folder / "metadata.json").write_text(json.dumps({"job": {"job_id": job_id}}))
    model = tmp_path / f"{job_id}.onnx"
    model.write_bytes(content)
    ref = artifacts.put_file(model, name="Agent.onnx")
    version, _ = registry.register(
        "Agent_001",
        sha256=ref.sha256,
        model_path=ref.path,
        metrics={"eval/mean_reward": reward},
        job_id=job_id,
        artifact_dir=folder,
    )
    return version


def test_upload_requests_versions_and_alias_moves(tmp_path, fake_vertex):
    """Champion versions are uploaded with the documented request; promotions move the alias on Vertex."""
    bucket = LocalBucket(tmp_path / "gcs")
    mirror = make_mirror(fake_vertex, bucket)
    artifacts = ArtifactStore(tmp_path / "artifacts")
    registry = LocalRegistry(tmp_path / "registry", artifacts, mirrors=[mirror])

    v1 = register(tmp_path, registry, artifacts, "nightly-20240501T020000Z-Agent_001", b"one", 1.0)
    [first] = fake_vertex.uploads()
    sha = v1.sha256
    assert first == {
        "modelId": "agent_001",
        "model": {
            "displayName": "Agent_001",
            "description": "Unity ML-Agents policy for Agent_001 (mlops_unity_pipeline)",
            "artifactUri": f"gs://staging-bucket/ml/mlops-unity/agent_001/v1-{sha[:12]}/",
            "containerSpec": {"imageUri": DEFAULT_SERVING_IMAGE},
            "labels": {
                "managed-by": "mlops-unity-pipeline",
                "mlops-asset-id": "agent_001",
                "mlops-job-id": "nightly-20240501t020000z-agent_001",
                "mlops-local-version": "1",
                "mlops-sha256-a": sha[:32],
                "mlops-sha256-b": sha[32:],
            },
            "versionAliases": ["candidate", "champion", "default"],
            "versionDescription": "local version 1 of Agent_001 from job nightly-20240501T020000Z-Agent_001; "
            f"sha256 {sha}",
        },
    }
    assert v1.external_ids["vertex"] == {
        "model": f"{PARENT}/models/agent_001",
        "version_id": "1",
        "artifact_uri": f"gs://staging-bucket/ml/mlops-unity/agent_001/v1-{sha[:12]}",
    }
    assert bucket.calls == [
        (
            f"gs://staging-bucket/ml/mlops-unity/agent_001/v1-{sha[:12]}",
            ["Agent.onnx", "package/metadata.json"],
        )
    ]
    staged = tmp_path / "gcs" / "staging-bucket/ml/mlops-unity/agent_001" / f"v1-{sha[:12]}" / "Agent.onnx"
    assert staged.read_bytes() == b"one"

    # v2 does not beat the champion: not uploaded (promoted-only), and Vertex's candidate no longer names v1
    v2 = register(tmp_path, registry, artifacts, "job-2", b"two", 0.5)
    assert len(fake_vertex.uploads()) == 1 and v2.external_ids["vertex"] == {"uploaded": False}
    assert fake_vertex.aliases("agent_001") == {"1": ["champion", "default"]}

    # promoting v2 uploads it as a new version of the same model and moves champion to it
    registry.promote("Agent_001", 2)
    second = fake_vertex.uploads()[1]
    assert second["parentModel"] == f"{PARENT}/models/agent_001" and "modelId" not in second
    assert second["model"]["versionAliases"] == ["champion", "default"]  # a champion upload is the default
    assert second["model"]["labels"]["mlops-local-version"] == "2"
    assert fake_vertex.aliases("agent_001") == {"1": [], "2": ["champion", "default"]}

    # promoting v1 back: a mergeVersionAliases move, no upload ('default' stays where uploads put it)
    registry.promote("Agent_001", 1)
    assert len(fake_vertex.uploads()) == 2
    assert fake_vertex.aliases("agent_001") == {"1": ["champion"], "2": ["default"]}
    merges = [r for r in fake_vertex.requests if r["path"].endswith(":mergeVersionAliases")]
    assert [(r["path"].rsplit("/", 1)[1], r["body"]) for r in merges][-2:] == [
        ("agent_001@2:mergeVersionAliases", {"versionAliases": ["-champion"]}),
        ("agent_001@1:mergeVersionAliases", {"versionAliases": ["champion"]}),
    ]


def test_upload_every_registered_version(tmp_path, fake_vertex):
    """upload_on='registered' uploads the non-champion v2 too, with parent_model and the candidate alias."""
    mirror = make_mirror(fake_vertex, LocalBucket(tmp_path / "gcs"), upload_on="registered")
    artifacts = ArtifactStore(tmp_path / "artifacts")
    registry = LocalRegistry(tmp_path / "registry", artifacts, mirrors=[mirror])
    register(tmp_path, registry, artifacts, "job-1", b"one", 1.0)
    register(tmp_path, registry, artifacts, "job-2", b"two", 0.5)
    second = fake_vertex.uploads()[1]
    assert second["parentModel"] == f"{PARENT}/models/agent_001"
    assert second["model"]["versionAliases"] == ["candidate"]
    assert fake_vertex.aliases("agent_001") == {"1": ["champion", "default"], "2": ["candidate"]}


def test_vertex_error_becomes_registry_error(tmp_path, fake_vertex):
    """A Vertex rejection (here: merging an alias onto a version that does not exist) is a RegistryError."""
    mirror = make_mirror(fake_vertex, LocalBucket(tmp_path / "gcs"))
    version = ModelVersion(
        "ghost", 1, "a" * 64, str(tmp_path / "missing.onnx"), {}, "job", 0.0, ("champion",)
    )
    with pytest.raises(RegistryError, match="model file .*missing.onnx is missing"):
        mirror.on_registered(version, tmp_path)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("Agent_001", "agent_001"), ("Job.ID:2024", "job-id-2024"), ("x" * 70, "x" * 54 + "-")],
)
def test_label_values_follow_vertex_rules(value, expected):
    """Label values: lowercase, [a-z0-9_-], at most 63 chars (long ones keep a hash suffix)."""
    label = label_value(value)
    assert label.startswith(expected) and len(label) <= 63
    assert set(label) <= set("abcdefghijklmnopqrstuvwxyz0123456789_-")


def test_model_ids_follow_vertex_rules():
    """Model ids: 5-63 chars of [a-z0-9_-], starting with a letter, deterministic."""
    assert model_id_for("Agent_001") == "agent_001"
    assert model_id_for("7up").startswith("m-7up") and len(model_id_for("7up")) >= 5
    assert model_id_for("ab")[0].isalpha() and len(model_id_for("ab")) >= 5
    assert len(model_id_for("a" * 128)) == 63 and model_id_for("a" * 128) != model_id_for("a" * 127 + "b")


def test_alias_rules():
    """Aliases must match Vertex's pattern; 'default' belongs to Vertex."""
    assert check_alias("champion") == "champion"
    for bad in ("default", "Champion", "9lives", "x"):
        with pytest.raises(RegistryError, match="not a valid Vertex version alias"):
            check_alias(bad)


def test_missing_project(monkeypatch):
    """No project anywhere: a RegistryError saying to set GOOGLE_CLOUD_PROJECT."""
    for name in ("GOOGLE_CLOUD_PROJECT", "CLOUDSDK_CORE_PROJECT"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(
        RegistryError, match="no Google Cloud project; pass project= or set GOOGLE_CLOUD_PROJECT"
    ):
        VertexMirror(staging_bucket="gs://b")


def test_missing_credentials(monkeypatch):
    """No application default credentials: a RegistryError saying how to log in."""
    import google.auth
    from google.auth.exceptions import DefaultCredentialsError

    def no_credentials(*args, **kwargs):
        raise DefaultCredentialsError("Could not automatically determine credentials.")

    monkeypatch.setattr(google.auth, "default", no_credentials)
    with pytest.raises(
        RegistryError, match="no Google Cloud credentials found; run `gcloud auth application-default"
    ):
        VertexMirror(PROJECT, LOCATION, "gs://b")


def test_bad_staging_bucket_and_location():
    """The staging bucket must be gs://…, the location a region."""
    with pytest.raises(RegistryError, match="staging_bucket must be a gs:// URI"):
        VertexMirror(PROJECT, LOCATION, "/tmp/bucket", credentials=object())
    with pytest.raises(RegistryError, match="is not a region"):
        VertexMirror(PROJECT, "Mars", "gs://b", credentials=object())


def test_missing_extra(monkeypatch):
    """Without google-cloud-aiplatform the mirror raises MissingExtraError naming the [vertex] extra."""
    monkeypatch.setitem(sys.modules, "google.cloud.aiplatform", None)
    with pytest.raises(MissingExtraError, match=r"mlops_unity_pipeline\[vertex\]"):
        VertexMirror(PROJECT, LOCATION, "gs://b")


class FakeGcs:
    """A local Cloud Storage JSON API endpoint that accepts multipart uploads and keeps the objects."""

    def __init__(self) -> None:
        self.objects: dict[str, bytes] = {}
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                path, _, _ = self.path.partition("?")
                bucket = urllib.parse.unquote(path.split("/b/")[1].split("/")[0])
                body = self.rfile.read(int(self.headers["Content-Length"]))
                boundary = self.headers["content-type"].split("boundary=")[1].strip('"').encode()
                parts = [p for p in body.split(b"--" + boundary) if p.strip(b"-\r\n")]
                metadata = json.loads(parts[0].split(b"\r\n\r\n", 1)[1])
                content = parts[1].split(b"\r\n\r\n", 1)[1].removesuffix(b"\r\n")
                fake.objects[f"gs://{bucket}/{metadata['name']}"] = content
                answer = json.dumps(
                    {"bucket": bucket, "name": metadata["name"], "size": str(len(content))}
                ).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.endpoint = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def test_gcs_uploader_stages_files_under_the_prefix(tmp_path):
    """The default uploader (google-cloud-storage) writes each file as <prefix>/<relative name>."""
    from google.auth.credentials import AnonymousCredentials

    from mlops_unity_pipeline.registry.vertex_registry import GcsUploader

    (tmp_path / "Agent.onnx").write_bytes(b"\x08\x01onnx")
    (tmp_path / "metadata.json").write_text('{"a": 1}')
    fake = FakeGcs()
    try:
        uploader = GcsUploader(PROJECT, AnonymousCredentials(), api_endpoint=fake.endpoint)
        uris = uploader.upload(
            {"Agent.onnx": tmp_path / "Agent.onnx", "package/metadata.json": tmp_path / "metadata.json"},
            "gs://staging-bucket/ml/mlops-unity/agent_001/v1-abc",
        )
    finally:
        fake.close()
    assert uris == [
        "gs://staging-bucket/ml/mlops-unity/agent_001/v1-abc/Agent.onnx",
        "gs://staging-bucket/ml/mlops-unity/agent_001/v1-abc/package/metadata.json",
    ]
    assert fake.objects == {uris[0]: b"\x08\x01onnx", uris[1]: b'{"a": 1}'}
    with pytest.raises(RegistryError, match="expected a gs://bucket"):
        uploader.upload({}, "s3://bucket")
