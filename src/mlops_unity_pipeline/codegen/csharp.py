"""IR → Unity project files: the Agent, the arena bootstrap, the editor build script and the project skeleton.

Templates live in ``codegen/templates`` (Jinja2). The LLM path may replace the bodies of ``EDITABLE_METHODS``;
everything else (constants, ``CollectObservations``, the arena) always comes from the IR, so the observation
layout and physics constants equal the simulator's whoever wrote the bodies.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Mapping
from functools import lru_cache
from pathlib import Path

import jinja2

from ..behavior.spec import Archetype, BehaviorSpec, RewardKind
from ..errors import CodegenError
from ..sim.archetypes import DISCRETE_MOVES, PHYSICS_DT

TEMPLATES_DIR = Path(__file__).parent / "templates"

EDITABLE_METHODS: tuple[str, ...] = ("OnEpisodeBegin", "OnActionReceived", "Heuristic")
"""Agent methods whose bodies an LLM provider may write (checked; the template's are used if broken)."""

MLAGENTS_PACKAGE_VERSION = "3.0.0"
"""``com.unity.ml-agents`` version in ``Packages/manifest.json`` (Release 22, mlagents.md §0); the API our
stubs model (``tests/codegen/data/mlagents_api_3.0.0.json``)."""

SENTIS_PACKAGE_VERSION = "2.1.0"
"""``com.unity.sentis`` version in ``Packages/manifest.json``: the dependency ml-agents 3.0.0 declares in its
``package.json`` (the runtime behind ``Agent.SetModel``'s ``Unity.Sentis.ModelAsset``)."""

UNITY_EDITOR_VERSION = "6000.0.23f1"
"""``ProjectSettings/ProjectVersion.txt``: a Unity 6 LTS editor (ml-agents 3.0.0 needs 2023.2 or later)."""

AGENT_DIR = "Assets/Scripts"
EDITOR_DIR = "Assets/Editor"


def class_name_for(spec: BehaviorSpec) -> str:
    """Return the Agent subclass name: the behavior name, with ``Agent`` appended unless it already ends so.

    Args:
        spec: the behavior.

    Returns:
        A C# identifier, e.g. ``NavigationAgent`` for ``NavigationAgent`` and ``SimpleAgent`` for ``Simple``.

    """
    name = spec.behavior_name
    if name.endswith("Agent") and name != "Agent":
        return name
    return name + "Agent"


def csharp_float(value: float) -> str:
    """Format a C# float literal that round-trips the value (``0.02f``, ``-1.0f``, ``1e-05f``).

    Args:
        value: a finite number.

    Returns:
        The literal.

    """
    return f"{float(value)!r}f"


def render_agent(
    spec: BehaviorSpec,
    *,
    bodies: Mapping[str, str] | None = None,
    record_demonstrations: bool = False,
) -> str:
    """Render the Agent script for ``spec``.

    Args:
        spec: the behavior.
        bodies: replacement bodies for ``EDITABLE_METHODS`` (an LLM's); missing ones keep the template's.
        record_demonstrations: make the scripted heuristic opt-in (human play drives the agent).

    Returns:
        The C# source.

    Raises:
        CodegenError: when ``bodies`` names a method that is not editable.

    """
    bodies = dict(bodies or {})
    unknown = sorted(set(bodies) - set(EDITABLE_METHODS))
    if unknown:
        raise CodegenError(
            f"cannot replace the body of {unknown}: editable methods are {list(EDITABLE_METHODS)}"
        )
    name = "BalanceAgent.cs.j2" if spec.archetype is Archetype.BALANCE else "NavigationAgent.cs.j2"
    return _env().get_template(name).render(**_context(spec, record_demonstrations, _editable(bodies)))


def render_project(
    spec: BehaviorSpec,
    *,
    bodies: Mapping[str, str] | None = None,
    record_demonstrations: bool = False,
) -> dict[str, str]:
    """Every file of the Unity project for ``spec``, keyed by path relative to the project root.

    Args:
        spec: the behavior.
        bodies: LLM-written bodies for ``EDITABLE_METHODS`` (see ``render_agent``).
        record_demonstrations: add Unity's ``DemonstrationRecorder``; the keyboard heuristic drives the agent.

    Returns:
        ``{"Assets/Scripts/<Class>.cs": ..., "Assets/Scripts/ArenaBootstrap.cs": ...,
        "Assets/Editor/BuildPlayer.cs": ..., "Packages/manifest.json": ..., "ProjectSettings/...": ...}``.

    """
    env = _env()
    context = _context(spec, record_demonstrations, _editable({}))
    arena = "BalanceArena.cs.j2" if spec.archetype is Archetype.BALANCE else "NavigationArena.cs.j2"
    tags = [] if spec.archetype is Archetype.BALANCE else ["wall", "obstacle"]
    files = {
        f"{AGENT_DIR}/{context['class_name']}.cs": render_agent(
            spec, bodies=bodies, record_demonstrations=record_demonstrations
        ),
        f"{AGENT_DIR}/ArenaBootstrap.cs": env.get_template(arena).render(**context),
        f"{EDITOR_DIR}/BuildPlayer.cs": env.get_template("BuildPlayer.cs.j2").render(**context),
        "Packages/manifest.json": env.get_template("manifest.json.j2").render(
            mlagents_version=MLAGENTS_PACKAGE_VERSION, sentis_version=SENTIS_PACKAGE_VERSION
        ),
        "ProjectSettings/ProjectVersion.txt": env.get_template("ProjectVersion.txt.j2").render(
            editor_version=UNITY_EDITOR_VERSION
        ),
        "ProjectSettings/TagManager.asset": env.get_template("TagManager.asset.j2").render(tags=tags),
    }
    if record_demonstrations:
        files["Assets/Demonstrations/.gitkeep"] = ""
    return files


def method_body_indent(body: str) -> str:
    """Re-indent a method body to the template's 8 spaces (the LLM's indentation is not trusted).

    Args:
        body: statements, any indentation.

    Returns:
        The body, dedented then indented by 8 spaces, without leading/trailing blank lines.

    """
    lines = textwrap.dedent(body.replace("\t", "    ")).strip("\n").splitlines()
    return "\n".join(("        " + line) if line.strip() else "" for line in lines)


# --- template plumbing ---


@lru_cache(maxsize=1)
def _env() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,
    )


def _editable(bodies: Mapping[str, str]) -> Callable[..., str]:
    def editable(method: str, caller: Callable[[], str]) -> str:
        if method in bodies:
            return "\n" + method_body_indent(bodies[method])
        return caller()

    return editable


def _context(
    spec: BehaviorSpec, record_demonstrations: bool, editable: Callable[..., str]
) -> dict[str, object]:
    defaults = dict(spec.env_parameters)
    return {
        "spec": spec,
        "class_name": class_name_for(spec),
        "nav": spec.to_navigation_params(),
        "physics_dt": PHYSICS_DT,
        "discrete_moves": DISCRETE_MOVES,
        "record_demonstrations": record_demonstrations,
        "alive_reward": spec.reward(RewardKind.ALIVE),
        "fall_penalty": spec.reward(RewardKind.FALL),
        "f": csharp_float,
        "env_default": lambda name, fallback: defaults.get(name, fallback),
        "editable": editable,
    }
