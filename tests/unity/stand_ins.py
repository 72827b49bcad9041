"""Stand-in executables for the Unity Editor, a Unity player and mlagents-learn, written into tmp dirs.

Each is a small Python script (shebang = this interpreter) whose behaviour a test picks with an environment
variable. They record their argv (and selected environment) to ``$STANDIN_RECORD`` as JSON, write
realistic logs, and honour SIGINT/SIGTERM like the real tools.
"""

# ruff: noqa: E501  (realistic tool output lines are long on purpose)
from __future__ import annotations

import os
import stat
import sys
import textwrap
from pathlib import Path

# --- realistic Unity Editor log fragments (shapes of 2022.3 batch-mode logs) ---------------------------
UNITY_LOG_HEADER = """\
[Licensing::Module] Trying to connect to existing licensing client channel...
Built from '2022.3/staging' branch; Version is '2022.3.21f1 (bf09ca542b87) revision 12519882'; Using compiler version '192829333'; Build Type 'Release'
OS: 'Ubuntu 22.04.3 LTS' Language: 'en' Physical Memory: 24032 MB
[Licensing::Module] Successfully connected to LicensingClient on channel: "LicenseClient-root" (connect: 0.00s, validation: 0.00s, handshake: 0.41s)
[Licensing::Module] License is not yet valid for com.unity.editor.headless; checking again in 0.5s
 COMMAND LINE ARGUMENTS:
{argv}
Successfully changed project path to: {project}
[UnityMemory] Configuration Parameters - Can be set up in boot.config
Refreshing native plugins compatible for Editor in 1.21 ms, found 3 plugins.
Preloading 0 native plugins for Editor in 0.00 ms.
Initialize engine version: 2022.3.21f1 (bf09ca542b87)
[Subsystems] Discovering subsystems at path /opt/unity/Editor/Data/Resources/UnitySubsystems
Package Manager log level set to [2]
[Package Manager] Done resolving packages in 2.41 seconds
[Package Manager] Registered 42 packages:
  Packages from [https://packages.unity.com]:
    com.unity.ml-agents@3.0.0 (location: {project}/Library/PackageCache/com.unity.ml-agents@3.0.0)
    com.unity.sentis@1.4.0-pre.3 (location: {project}/Library/PackageCache/com.unity.sentis@1.4.0-pre.3)
Starting: /opt/unity/Editor/Data/bee_backend --profile="Library/Bee/backend_profiler0.traceevents" --stdin-canary --dagfile="Library/Bee/1900b0aE.dag" --continue-on-failure ScriptAssemblies
[ 45/ 62  4s] Csc Library/Bee/artifacts/1900b0aE.dag/Assembly-CSharp.dll (+2 others)
"""

UNITY_LOG_SUCCESS = """\
[ 62/ 62 12s] ScriptAssemblies
Reloading assemblies for play mode.
Begin MonoManager ReloadAssembly
- Loaded All Assemblies, in  1.342 seconds
Mono: successfully reloaded assembly
Asset Pipeline Refresh (id=a9b1f0c2): Total: 3.104 seconds - Initiated by InitialRefreshV2(ForceSynchronousImport)
Invoking executeMethod: {method}
Building Player: Linux64 Server
Switching to StandaloneLinux64 (Server) - Done
Compiling shader "Universal Render Pipeline/Lit" pass "ForwardLit" (vp)
[ 12/ 60  1s] Csc Library/Bee/artifacts/LinuxPlayerBuildProgram/Assembly-CSharp.dll
Build Finished, Result: Success.
Batchmode quit successfully invoked - shutting down!
Exiting batchmode successfully now!
[Package Manager] Server::Kill -- Server was shutdown
"""

UNITY_LOG_COMPILE_ERROR = """\
Assets/Scripts/RollerAgent.cs(42,13): error CS0246: The type or namespace name 'VectorSensr' could not be found (are you missing a using directive or an assembly reference?)
Assets/Scripts/RollerAgent.cs(57,9): error CS0103: The name 'SetReward2' does not exist in the current context
[ 62/ 62 11s] ScriptAssemblies
*** Tundra build failed (11.54 seconds), 4 items updated, 62 evaluated
## Script Compilation Error for: Csc Library/Bee/artifacts/1900b0aE.dag/Assembly-CSharp.dll (+2 others)
Assets/Scripts/RollerAgent.cs(42,13): error CS0246: The type or namespace name 'VectorSensr' could not be found (are you missing a using directive or an assembly reference?)
Assets/Scripts/RollerAgent.cs(57,9): error CS0103: The name 'SetReward2' does not exist in the current context
Scripts have compiler errors.
(Filename: ./Runtime/Utilities/Argv.cpp Line: 376)

Aborting batchmode due to failure:
Scripts have compiler errors.
[Package Manager] Server::Kill -- Server was shutdown
"""

UNITY_LOG_LICENSE = """\
[Licensing::Module] Error: Access token is unavailable; failed to update
[Licensing::Client] Error: Code 400 while processing request (status: Failed to activate ULF license)
No valid Unity Editor license found. Please activate your license.
DisplayProgressbar: Unity license
Cancelling DisplayDialog: Failed to activate/update license. Timeout occured while trying to update license. Please try again later or contact support@unity3d.com
This should not be called in batch mode.
(Filename: ./Editor/Platform/Linux/EditorUtility.cpp Line: 274)
"""

UNITY_LOG_MISSING_MODULE = """\
[ 62/ 62 12s] ScriptAssemblies
Invoking executeMethod: {method}
Building Player: Linux64 Server
Switching to StandaloneLinux64:LinuxStandaloneSupport is disabled
Error building player because build target was unsupported
Build Finished, Result: Failure.
UnityEngine.DebugLogHandler:Internal_Log (UnityEngine.LogType,UnityEngine.LogOption,string,UnityEngine.Object)
Aborting batchmode due to failure:
Build failed: missing Linux Dedicated Server Build Support
"""

UNITY_LOG_HANG = """\
[Licensing::Module] Waiting for the licensing client to respond...
"""

EDITOR_SCRIPT = r'''#!{python}
"""Stand-in for the Unity Editor (batch mode). Mode: $FAKE_UNITY_MODE."""
import json, os, re, signal, stat, sys, time
from pathlib import Path

LOGS = {logs!r}
mode = os.environ.get("FAKE_UNITY_MODE", "success")
argv = sys.argv[1:]
record = os.environ.get("STANDIN_RECORD_EDITOR") or os.environ.get("STANDIN_RECORD")
if record:
    Path(record).write_text(json.dumps({{"argv": argv, "build_output_env": os.environ.get("MLOPS_BUILD_OUTPUT"),
                                         "cwd": os.getcwd()}}))
if argv == ["-version"]:
    print("{version}")
    sys.exit(0)

def value(flag):
    return argv[argv.index(flag) + 1] if flag in argv else None

stopped = False
def on_term(signum, frame):
    global stopped
    stopped = True
signal.signal(signal.SIGTERM, on_term)

log_path = value("-logFile")
project = value("-projectPath")
method = value("-executeMethod")
out = value("--mlagents-build-output-path")
log = open(log_path, "w") if log_path and log_path != "-" else sys.stdout

def write(text):
    for line in text.splitlines():
        log.write(line + "\n")
        log.flush()
        time.sleep(float(os.environ.get("FAKE_UNITY_LINE_DELAY", "0")))

fmt = dict(argv="\n".join(argv), project=project, method=method)
write(LOGS["header"].format(**fmt))
if method and "." in method and project and Path(project, "Assets").is_dir():
    # like the Editor: the -executeMethod class and static method must exist in the project's scripts
    cls, name = method.rsplit(".", 2)[-2:]
    sources = "\n".join(p.read_text(errors="replace") for p in Path(project, "Assets").rglob("*.cs"))
    if not re.search(r"\bclass\s+" + cls + r"\b", sources):
        write(f"executeMethod class '{{cls}}' could not be found.\nArgument was -executeMethod {{method}}\n")
        sys.exit(1)
    if not re.search(r"\bstatic\s+void\s+" + name + r"\s*\(", sources):
        write(f"executeMethod method '{{name}}' in class '{{cls}}' could not be found.\n")
        sys.exit(1)
if mode == "success" or mode == "no_data_dir" or mode == "no_exec_bit":
    write(LOGS["success"].format(**fmt))
    player = Path(out)
    player.parent.mkdir(parents=True, exist_ok=True)
    source = os.environ.get("FAKE_UNITY_PLAYER_SCRIPT")  # a player stand-in to build, else a dummy
    player.write_text(Path(source).read_text() if source else "#!/bin/sh\necho player\n")
    if mode != "no_exec_bit":
        player.chmod(player.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    if mode != "no_data_dir":
        data = player.with_name(player.name[: -len(".x86_64")] + "_Data")
        data.mkdir(exist_ok=True)
        (data / "globalgamemanagers").write_bytes(b"\0" * 16)
        # Mono player scripts: string literals are UTF-16 in the #US heap; ModelOverrider's flag when asked
        (data / "Managed").mkdir(exist_ok=True)
        literals = ["3DBall", "MlopsBuild"]
        if os.environ.get("FAKE_UNITY_MODEL_OVERRIDER") == "1":
            literals.append("--mlagents-override-model-directory")
        (data / "Managed" / "Assembly-CSharp.dll").write_bytes(
            b"MZ\x90\0" + b"\0".join(x.encode("utf-16-le") for x in literals) + b"\0" * 8)
        (data / "Managed" / "UnityEngine.CoreModule.dll").write_bytes(
            b"MZ" + "--mlagents-override-model-directory".encode("utf-16-le"))  # never scanned
    sys.exit(0)
if mode == "exit0_nothing":
    write(LOGS["missing_module"].format(**fmt))
    sys.exit(0)
if mode == "compile_error":
    write(LOGS["compile_error"].format(**fmt))
    sys.exit(1)
if mode == "license":
    write(LOGS["license"].format(**fmt))
    sys.exit(1)
if mode == "missing_module":
    write(LOGS["missing_module"].format(**fmt))
    sys.exit(1)
if mode == "crash":
    write("Crash!!!\nSegmentation fault (core dumped)\n")
    sys.exit(139)
if mode == "hang":
    write(LOGS["hang"])
    while not stopped:
        time.sleep(0.05)
    write("Received SIGTERM, quitting\n")
    sys.exit(143)
if mode == "hang_ignore_term":
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    write(LOGS["hang"])
    while True:
        time.sleep(0.05)
sys.exit(3)
'''


def make_executable(path: Path, text: str) -> Path:
    """Write ``text`` to ``path`` and make it executable."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return path


def write_fake_editor(path: Path, version: str = "2022.3.21f1") -> Path:
    """Write the Unity Editor stand-in at ``path``."""
    logs = {
        "header": UNITY_LOG_HEADER,
        "success": UNITY_LOG_SUCCESS,
        "compile_error": UNITY_LOG_COMPILE_ERROR,
        "license": UNITY_LOG_LICENSE,
        "missing_module": UNITY_LOG_MISSING_MODULE,
        "hang": UNITY_LOG_HANG,
    }
    return make_executable(path, EDITOR_SCRIPT.format(python=sys.executable, logs=logs, version=version))


BUILD_PLAYER_CS = """\
using UnityEditor;
using UnityEditor.Build.Reporting;

namespace MlopsGenerated.EditorTools
{
    public static class BuildPlayer
    {
        public static void BuildLinuxServer()
        {
            // reads --mlagents-build-output-path; see mlops_unity_pipeline.unity.build
        }
    }
}
"""


def write_unity_project(root: Path, version: str = "2022.3.21f1", build_script: bool = True) -> Path:
    """Write a minimal Unity project (ProjectVersion.txt, Assets/, Editor build script)."""
    (root / "Assets" / "Scripts").mkdir(parents=True, exist_ok=True)
    (root / "Packages").mkdir(exist_ok=True)
    (root / "Packages" / "manifest.json").write_text('{"dependencies": {"com.unity.ml-agents": "3.0.0"}}\n')
    (root / "ProjectSettings").mkdir(exist_ok=True)
    (root / "ProjectSettings" / "ProjectVersion.txt").write_text(
        f"m_EditorVersion: {version}\nm_EditorVersionWithRevision: {version} (bf09ca542b87)\n"
    )
    if build_script:
        (root / "Assets" / "Editor").mkdir(exist_ok=True)
        (root / "Assets" / "Editor" / "BuildPlayer.cs").write_text(BUILD_PLAYER_CS)
    return root


# --- mlagents-learn stand-in ---------------------------------------------------------------------------
MLAGENTS_SCRIPT = r'''#!{python}
"""Stand-in for mlagents-learn 1.1.0. Mode: $FAKE_MLAGENTS_MODE."""
import argparse, json, os, signal, socket, sys, time
from pathlib import Path

mode = os.environ.get("FAKE_MLAGENTS_MODE", "train")
if "--help" in sys.argv:
    print("usage: mlagents-learn [-h] [--env ENV_PATH] [--resume] [--deterministic] [--force] [--run-id RUN_ID]")
    print("                      [--initialize-from RUN_ID] [--seed SEED] [--base-port BASE_PORT] [--num-envs NUM_ENVS]")
    sys.exit(0 if mode != "broken_help" else 1)

parser = argparse.ArgumentParser()
parser.add_argument("trainer_config_path")
parser.add_argument("--env", dest="env_path")
parser.add_argument("--run-id", default="ppo")
parser.add_argument("--num-envs", type=int, default=1)
parser.add_argument("--base-port", type=int, default=5005)
parser.add_argument("--results-dir", default="results")
parser.add_argument("--time-scale", type=float, default=20)
parser.add_argument("--torch-device")
parser.add_argument("--seed", type=int)
parser.add_argument("--no-graphics", action="store_true")
parser.add_argument("--resume", action="store_true")
parser.add_argument("--force", action="store_true")
parser.add_argument("--initialize-from")
parser.add_argument("--timeout-wait", type=int)
parser.add_argument("--env-args", nargs=argparse.REMAINDER)
args = parser.parse_args()

record = os.environ.get("STANDIN_RECORD_MLAGENTS") or os.environ.get("STANDIN_RECORD")
if record:
    Path(record).write_text(json.dumps({{"argv": sys.argv[1:], "cwd": os.getcwd(),
        "env": {{k: os.environ.get(k) for k in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONUNBUFFERED")}}}}))

behavior = os.environ.get("FAKE_BEHAVIOR", "3DBall")
steps = int(os.environ.get("FAKE_STEPS", "5"))
delay = float(os.environ.get("FAKE_DELAY", "0.02"))
interrupted = False
def on_int(signum, frame):
    global interrupted
    interrupted = True
signal.signal(signal.SIGINT, on_int if mode != "ignore_sigint" else signal.SIG_IGN)

print("[INFO] Connected to Unity environment with package version 3.0.0 and communication version 1.5.0")
print(f"[INFO] Connected new brain: {{behavior}}?team=0")
sys.stdout.flush()

def fail(text, code=1):
    print(text)
    sys.exit(code)

if mode == "unity_timeout":
    fail("Traceback (most recent call last):\n  File \"mlagents_envs/rpc_communicator.py\", line 114, in poll_for_timeout\n"
         "mlagents_envs.exception.UnityTimeOutException: The Unity environment took too long to respond. Make sure that :\n"
         "\t The environment does not need user interaction to launch")
if mode == "behavior_mismatch":
    fail("mlagents.trainers.exception.TrainerConfigError: The behavior name RollerBall has not been specified in the "
         "trainer configuration. Please add an entry in the configuration file for RollerBall, or set default_settings.")
if mode == "version_mismatch":
    fail("mlagents_envs.exception.UnityEnvironmentException: The communication API version is not compatible between "
         "Unity and python. Python API: 1.5.0, Unity API: 1.0.0.")
if mode == "worker_in_use":  # what a stale player / unleased trainer on the same ports causes
    fail("mlagents_envs.exception.UnityWorkerInUseException: Couldn't start socket communication because worker "
         "number 0 is still in use. You may need to manually close a previously opened environment or use a "
         "different worker number.")
if mode == "crash":
    fail("Traceback (most recent call last):\nZeroDivisionError: division by zero", 2)

# Bind our worker ports like the real trainer (gRPC server per worker): a collision is the real failure.
socks = []
for worker in range(args.num_envs):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        s.bind(("127.0.0.1", args.base_port + worker))
    except OSError:
        fail("mlagents_envs.exception.UnityWorkerInUseException: Couldn't start socket communication because worker "
             f"number {{worker}} is still in use. You may need to manually close a previously opened environment or "
             "use a different worker number.")
    s.listen(1)
    socks.append(s)

run_dir = Path(args.results_dir) / args.run_id
start = time.time()
step = 0
interval = int(os.environ.get("FAKE_SUMMARY_FREQ", "1000"))
for i in range(1, steps + 1):
    if interrupted:
        break
    time.sleep(delay)
    step = i * interval
    elapsed = time.time() - start
    if i == 1:
        print(f"[INFO] {{behavior}}. Step: {{step}}. Time Elapsed: {{elapsed:0.3f}} s. No episode was completed since last summary. Training.")
    else:
        print(f"[INFO] {{behavior}}. Step: {{step}}. Time Elapsed: {{elapsed:0.3f}} s. Mean Reward: {{i * 0.5:0.3f}}. Std of Reward: {{0.1 * i:0.3f}}. Training.")
    sys.stdout.flush()
    if mode in ("hang", "ignore_sigint") and i == steps:
        while not interrupted or mode == "ignore_sigint":
            time.sleep(0.02)
        break

if interrupted:
    print("[INFO] Learning was interrupted. Please wait while the graph is generated.")
(run_dir / behavior).mkdir(parents=True, exist_ok=True)
(run_dir / "run_logs").mkdir(parents=True, exist_ok=True)
onnx = run_dir / behavior / f"{{behavior}}-{{step}}.onnx"
source = os.environ.get("FAKE_ONNX_SOURCE")  # a real model to "export", else placeholder bytes
model = Path(source).read_bytes() if source else b"onnx"
onnx.write_bytes(model)
(run_dir / behavior / f"{{behavior}}-{{step}}.pt").write_bytes(b"pt")
(run_dir / behavior / "checkpoint.pt").write_bytes(b"pt")
(run_dir / f"{{behavior}}.onnx").write_bytes(model)
print(f"[INFO] Exported {{onnx}}")
print(f"[INFO] Copied {{onnx}} to {{run_dir / (behavior + '.onnx')}}.")
ckpt = {{"steps": step, "file_path": str(onnx), "reward": step / 1000 * 0.5, "creation_time": time.time(),
        "auxillary_file_paths": [str(onnx.with_suffix(".pt"))]}}
final = dict(ckpt, file_path=str(run_dir / f"{{behavior}}.onnx"))
status = {{behavior: {{"checkpoints": [ckpt], "final_checkpoint": final}},
          "metadata": {{"stats_format_version": "0.3.0", "mlagents_version": "1.1.0", "torch_version": "2.13.0"}}}}
if mode != "no_status":
    (run_dir / "run_logs" / "training_status.json").write_text(json.dumps(status, indent=4))
(run_dir / "configuration.yaml").write_text("behaviors: {{}}\n")
sys.exit(0)
'''


def write_fake_mlagents_learn(path: Path) -> Path:
    """Write the mlagents-learn stand-in at ``path``."""
    return make_executable(path, MLAGENTS_SCRIPT.format(python=sys.executable))


PLAYER_SCRIPT = r'''#!{python}
"""Stand-in for a built Unity player (inference run). Mode: $FAKE_PLAYER_MODE."""
import json, os, signal, sys, time
from pathlib import Path

argv = sys.argv[1:]
record = os.environ.get("STANDIN_RECORD_PLAYER") or os.environ.get("STANDIN_RECORD")
if record:
    Path(record).write_text(json.dumps({{"argv": argv}}))
mode = os.environ.get("FAKE_PLAYER_MODE", "ok")
def value(flag):
    return argv[argv.index(flag) + 1] if flag in argv else None
if mode == "sleep":  # never connects (for a real mlagents-learn UnityTimeOutException)
    signal.signal(signal.SIGTERM, lambda *a: sys.exit(0))
    time.sleep(600)
    sys.exit(0)
log = open(value("-logFile"), "w")
log.write("Mono path[0] = '/player/Player_Data/Managed'\nInitialize engine version: 2022.3.21f1 (bf09ca542b87)\n")
model_dir = Path(value("--mlagents-override-model-directory"))
behavior = os.environ.get("FAKE_BEHAVIOR", "3DBall")
if mode == "load_failure" or not (model_dir / f"{{behavior}}.onnx").exists():
    log.write(f"ModelOverrider: Failed to load model for behavior {{behavior}} from {{model_dir}}\n")
    log.close()
    sys.exit(1)
episodes = int(value("--mlagents-quit-after-episodes"))
if mode == "hang":
    signal.signal(signal.SIGTERM, lambda *a: sys.exit(143))
    while True:
        time.sleep(0.05)
for i in range(episodes):
    if mode == "ok":
        log.write(f"[mlops] episode_end behavior={{behavior}} reward={{1.0 + i}} length={{100 + i}}\n")
log.write("ModelOverrider: quitting after episodes\n")
log.close()
sys.exit(0)
'''


def write_fake_player(folder: Path, name: str = "Player") -> Path:
    """Write a player stand-in ``<folder>/<name>.x86_64`` with its ``<name>_Data/`` folder."""
    (folder / f"{name}_Data").mkdir(parents=True, exist_ok=True)
    return make_executable(folder / f"{name}.x86_64", PLAYER_SCRIPT.format(python=sys.executable))


TRAINER_YAML = """\
behaviors:
  3DBall:
    trainer_type: ppo
    max_steps: 5000
    summary_freq: 1000
"""


def fake_env(**overrides: str) -> dict[str, str]:
    """``os.environ`` plus ``overrides`` (for stand-in modes)."""
    env = dict(os.environ)
    env.update(overrides)
    return env


def dedent(text: str) -> str:
    """``textwrap.dedent`` shortcut."""
    return textwrap.dedent(text)
