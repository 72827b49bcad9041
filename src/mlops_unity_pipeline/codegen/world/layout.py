"""The observation and action layout a generated Unity project declares, and what the generator refuses.

ML-Agents builds an agent's observations from its sensors: every ``SensorComponent`` on the agent's
GameObject plus the agent's own ``VectorSensor`` (``CollectObservations``, sized by
``BrainParameters.VectorObservationSize``, skipped at size 0), each wrapped in a ``StackingSensor`` named
``StackingSensor_size{n}_{name}`` when stacked, then sorted by name (``SensorUtils.SortSensors``, ordinal
order) into ``obs_0, obs_1, ...``. ``declared_layout`` writes down what the generated C# declares in those
terms; ``generate_world`` refuses to write a project whose declared layout differs from the simulator's
``world_signature``, and ``tests/codegen/test_world_layout.py`` reads the layout back from the C#.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from ...errors import CodegenError
from ...sim.world_env import item_size, unsupported, world_signature
from ...sim.world_platform import platform_unsupported
from ...spaces import ActionSpec, BehaviorSignature, ObservationSpec
from ...world.model import BufferSensor, CameraSensor, GridSensor, RaySensor, VectorSensor, World

AGENT_VECTOR_SENSOR = "VectorSensor"
"""The name ML-Agents gives the agent's own vector sensor: a world vector sensor of that name is written as
``CollectObservations`` with ``BrainParameters``; any other name as a ``VectorSensorComponent``."""


class Component(StrEnum):
    """How a world sensor appears in the generated C#."""

    RAY = "RayPerceptionSensorComponent3D"
    AGENT_VECTOR = "BehaviorParameters.VectorObservationSize"
    VECTOR_COMPONENT = "VectorSensorComponent"
    GRID = "GridSensorComponent"
    BUFFER = "BufferSensorComponent"
    CAMERA = "CameraSensorComponent"


@dataclass(frozen=True)
class DeclaredSensor:
    """One sensor as the C# declares it.

    Attributes:
        name: the sensor's own name (``SensorName``, or ``VectorSensor`` for the agent's).
        component: how it is written.
        frame_size: floats of one frame (before stacking).
        stacks: ``ObservationStacks`` / ``NumStackedVectorObservations``.
        shape: the observation's shape where it is not a vector (grid: ``(tags, gx, gz)``, buffer:
            ``(rows, row size)``); empty for vectors.

    """

    name: str
    component: Component
    frame_size: int
    stacks: int
    shape: tuple[int, ...] = ()

    @property
    def reported_name(self) -> str:
        """The name ML-Agents reports and sorts by (``StackingSensor_size{n}_`` in front when stacked).

        A ``GridSensorComponent`` reports ``<SensorName>-OneHot`` (its ``OneHotGridSensor``).
        """
        name = f"{self.name}-OneHot" if self.component is Component.GRID else self.name
        return f"StackingSensor_size{self.stacks}_{name}" if self.stacks > 1 else name


def vector_frame_size(world: World, sensor: VectorSensor) -> int:
    """Floats one frame of a vector sensor adds (the catalog's sizes; a cue item: its cue's value count)."""
    return sum(item_size(world, item.item, item.of) for item in sensor.items)


def declared_sensors(world: World) -> list[DeclaredSensor]:
    """Return the world's sensors as the generated C# declares them, in the IR's order.

    Args:
        world: a world the generator supports (``refusals`` is empty).

    Returns:
        One entry per sensor.

    """
    out = []
    for sensor in world.agent.sensors:
        if isinstance(sensor, RaySensor):
            frame = (len(sensor.detectable_tags) + 2) * (2 * sensor.rays_per_direction + 1)
            out.append(DeclaredSensor(sensor.name, Component.RAY, frame, sensor.observation_stacks))
        elif isinstance(sensor, VectorSensor):
            component = (
                Component.AGENT_VECTOR if sensor.name == AGENT_VECTOR_SENSOR else Component.VECTOR_COMPONENT
            )
            frame = vector_frame_size(world, sensor)
            out.append(DeclaredSensor(sensor.name, component, frame, sensor.observation_stacks))
        elif isinstance(sensor, GridSensor):  # ObservationSpec.Visual(tags, GridSize.x, GridSize.z)
            shape = (len(sensor.detectable_tags), *sensor.grid_size)
            out.append(DeclaredSensor(sensor.name, Component.GRID, shape[0] * shape[1] * shape[2], 1, shape))
        elif isinstance(sensor, BufferSensor):  # ObservationSpec.VariableLength(rows, ObservableSize)
            size = sum(item_size(world, item, sensor.of) for item in sensor.items)
            shape = (sensor.max_entities, size)
            out.append(DeclaredSensor(sensor.name, Component.BUFFER, shape[0] * size, 1, shape))
        elif isinstance(sensor, CameraSensor):  # ObservationSpec.Visual(channels, height, width)
            shape = (1 if sensor.grayscale else 3, sensor.height, sensor.width)
            out.append(
                DeclaredSensor(sensor.name, Component.CAMERA, shape[0] * shape[1] * shape[2], 1, shape)
            )
    return out


def declared_layout(world: World) -> BehaviorSignature:
    """Return the behavior signature ML-Agents builds from the generated project's declarations.

    Args:
        world: a world the generator supports.

    Returns:
        Observation specs sorted by reported name (ordinal) and the action spec of ``BehaviorParameters``.

    """
    sensors = sorted(declared_sensors(world), key=lambda s: s.reported_name.encode())
    actions = world.agent.actions
    return BehaviorSignature(
        name=world.behavior_name,
        observation_specs=tuple(
            ObservationSpec(s.shape or (s.frame_size * s.stacks,), s.reported_name) for s in sensors
        ),
        action_spec=ActionSpec(
            continuous_size=len(actions.continuous),
            discrete_branches=tuple(len(b.choices) for b in actions.discrete),
        ),
    )


def refusals(world: World) -> list[str]:
    """List what ``world`` uses that the generator does not write yet, as field paths.

    The generator writes exactly the simulator's feature subset (``sim.world_env.unsupported``): a project
    whose features the simulator cannot run could not be trained here, nor its layout compared. On top of
    that: rewards scoped to a group need groups, and a vector sensor needs items (ML-Agents drops an empty
    one, the simulator would not).

    Args:
        world: a validated world.

    Returns:
        One line per refused feature; empty when the project can be written.

    """
    out = list(unsupported(world) if world.agent.platform is None else platform_unsupported(world))
    if world.agent.count > 1 and world.groups is None:
        out.append(
            f"agent.count: {world.agent.count} without groups (the generator writes several agents only as "
            "one SimpleMultiAgentGroup whose controller resets the shared scene)"
        )
    if world.agent.count > 1 and world.arena.layout is not None:
        out.append(
            f"arena.layout: with agent.count {world.agent.count} (the C# places one agent per area in a "
            "layout's cells)"
        )
    out += [
        f"rewards[{i}]: {r.event} scoped to the group (not written yet)"
        for i, r in enumerate(world.rewards)
        if r.scope == "group" and r.event in ("fall", "shaping", "near")
    ]
    out += [
        f"rewards[{i}]: fall of a block (what: {r.what}; not written yet)"
        for i, r in enumerate(world.rewards)
        if r.event == "fall" and r.what is not None
    ]
    if world.groups is None:
        out += [
            f"rewards[{i}]: scope group without groups"
            for i, r in enumerate(world.rewards)
            if r.scope == "group"
        ]
    out += _laser_refusals(world)
    out += [
        f"agent.sensors[{i}]: a vector sensor without items"
        for i, s in enumerate(world.agent.sensors)
        if isinstance(s, VectorSensor) and not s.items
    ]
    return out



def _laser_refusals(world: World) -> list[str]:
    """List the FoodCollector features (``agent.laser`` and what goes with it) the C# does not write yet."""
    agent, out = world.agent, []
    if agent.laser is not None:
        out.append("agent.laser: lasers and the shoot action (not written yet)")
    if agent.movement.slow_above > 0.0:
        out.append("agent.movement.slow_above (not written yet)")
    if "rotate_left" in {c.value for c in agent.actions.continuous}:
        out.append("agent.actions.continuous: rotate_left (not written yet)")
    late = {"local_velocity_xz", "frozen", "shooting"}
    out += [
        f"agent.sensors[{i}].items[{j}]: {it.item} (not written yet)"
        for i, s in enumerate(agent.sensors)
        if isinstance(s, VectorSensor)
        for j, it in enumerate(s.items)
        if it.item.value in late
    ]
    return out

def check_layout(world: World) -> BehaviorSignature:
    """Return the declared layout after checking it equals the simulator's signature.

    Args:
        world: a world the generator supports.

    Returns:
        The (equal) signature.

    Raises:
        CodegenError: when they differ (a bug in one side: never write such a project).

    """
    declared, simulated = declared_layout(world), world_signature(world)
    if declared != simulated:
        raise CodegenError(
            f"world '{world.name}': the C# would declare {declared} but the simulator observes {simulated}"
        )
    return declared
