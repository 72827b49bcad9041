"""Generic world kernel: one physics step of every area's bodies (``sim.world_env.WorldEnv._physics_step``).

The actions, the agents' and the blocks' integration, then contacts (walls, solid regions, obstacles, agents
against blocks, then agent and block pairs: ``world_agents``), twice and once more for the static parts,
with the same formulas in the same order as the NumPy reference, so both paths give the same trajectories
(``tests/sim/test_world_env.py``, ``tests/sim/test_world_triggers.py``, ``tests/sim/test_world_agents.py``).
``world_physics_step`` runs the physics only (the NumPy events follow it) and reports which blocks touched a
``push_into_zone`` zone while contacts were resolved; ``world_decision`` runs whole decisions of worlds with
one agent per area: physics, switches and topples, events, episode ends, MaxStep.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from .contact import fall_and_slide, square_box_contact
from .world_actors import near_distance, steer_actors
from .world_agents import area_pairs

CONTACT = 1e-3
REST_SINK = 0.01
STEP = 0.05
NO_FLOOR = -1.0e6


# Bodies are addressed as P[i, j] (area i, body j; the agents' arrays come as (n, 1, 3) views): numba array
# views in the inner loops cost reference counting on every creation, several times the arithmetic.


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _integrate(
    P: np.ndarray,
    V: np.ndarray,
    i: int,
    j: int,
    half_y: float,
    drag: float,
    mu: float,
    gravity: float,
    dt: float,
    ground: float,
) -> None:
    # gravity, damping, floor friction, semi-implicit integration, contact with what it stands on
    P[i, j, 0], P[i, j, 1], P[i, j, 2], V[i, j, 0], V[i, j, 1], V[i, j, 2] = fall_and_slide(
        P[i, j, 0],
        P[i, j, 1],
        P[i, j, 2],
        V[i, j, 0],
        V[i, j, 1],
        V[i, j, 2],
        ground + half_y - REST_SINK,
        drag,
        mu,
        gravity,
        dt,
    )


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _push_out(
    P: np.ndarray,
    V: np.ndarray,
    i: int,
    j: int,
    ex: float,
    ez: float,
    lo0: float,
    lo1: float,
    hi0: float,
    hi1: float,
) -> None:
    # out of the box [lo, hi] along the axis of least penetration; stop motion into it
    px, pz = P[i, j, 0], P[i, j, 2]
    into_x = min(px + ex - lo0, hi0 - (px - ex))
    into_z = min(pz + ez - lo1, hi1 - (pz - ez))
    if not (into_x > 0.0 and into_z > 0.0):
        return
    if into_x < into_z:
        if px < 0.5 * (lo0 + hi0):
            P[i, j, 0] = lo0 - ex
            V[i, j, 0] = min(V[i, j, 0], 0.0)
        else:
            P[i, j, 0] = hi0 + ex
            V[i, j, 0] = max(V[i, j, 0], 0.0)
    else:
        if pz < 0.5 * (lo1 + hi1):
            P[i, j, 2] = lo1 - ez
            V[i, j, 2] = min(V[i, j, 2], 0.0)
        else:
            P[i, j, 2] = hi1 + ez
            V[i, j, 2] = max(V[i, j, 2], 0.0)


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _static(
    P: np.ndarray,
    V: np.ndarray,
    i: int,
    j: int,
    ex: float,
    ez: float,
    half_x: float,
    half_z: float,
    region_lo: np.ndarray,
    region_hi: np.ndarray,
    solid: np.ndarray,
    obstacles: np.ndarray,
    ent_pos: np.ndarray,
    ent_half: np.ndarray,
    ent_active: np.ndarray,
    walled: bool,
    region_top: np.ndarray,
    bottom: float,
) -> None:
    # walls, then solid regions, then obstacles and closed doors (the NumPy reference's order); a box whose
    # top is at most STEP above ``bottom`` lets the body pass over it (blocks pass -inf: every box stops them)
    if walled:
        lo, hi = -half_x + ex, half_x - ex
        if P[i, j, 0] <= lo:
            V[i, j, 0] = max(V[i, j, 0], 0.0)
        if P[i, j, 0] >= hi:
            V[i, j, 0] = min(V[i, j, 0], 0.0)
        P[i, j, 0] = min(max(P[i, j, 0], lo), hi)
        lo, hi = -half_z + ez, half_z - ez
        if P[i, j, 2] <= lo:
            V[i, j, 2] = max(V[i, j, 2], 0.0)
        if P[i, j, 2] >= hi:
            V[i, j, 2] = min(V[i, j, 2], 0.0)
        P[i, j, 2] = min(max(P[i, j, 2], lo), hi)
    for k in range(solid.shape[0]):  # index loops: iterating an array object costs an iterator each time
        s = solid[k]
        if not region_top[s] > bottom + STEP:
            continue
        _push_out(P, V, i, j, ex, ez, region_lo[s, 0], region_lo[s, 1], region_hi[s, 0], region_hi[s, 1])
    for k in range(obstacles.shape[0]):
        o = obstacles[k]
        if not ent_active[i, o]:  # toppled or opened
            continue
        if not ent_pos[i, o, 1] + ent_half[i, o, 1] > bottom + STEP:
            continue
        cx, cz = ent_pos[i, o, 0], ent_pos[i, o, 2]
        hx, hz = ent_half[i, o, 0], ent_half[i, o, 2]
        _push_out(P, V, i, j, ex, ez, cx - hx, cz - hz, cx + hx, cz + hz)


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _support(
    P: np.ndarray,
    i: int,
    a: int,
    reach: float,
    half_y: float,
    half_x: float,
    half_z: float,
    walled: bool,
    region_lo: np.ndarray,
    region_hi: np.ndarray,
    region_top: np.ndarray,
    solid: np.ndarray,
    obstacles: np.ndarray,
    ent_pos: np.ndarray,
    ent_half: np.ndarray,
    ent_active: np.ndarray,
) -> float:
    # the height agent a stands on (WorldEnv._support): the floor inside the arena, raised by boxes under
    # its footprint whose top is at most STEP above its bottom
    px, pz = P[i, a, 0], P[i, a, 2]
    ground = 0.0
    if not walled and not (abs(px) <= half_x and abs(pz) <= half_z):
        ground = NO_FLOOR
    bottom = P[i, a, 1] - half_y + REST_SINK
    for k in range(solid.shape[0]):
        s = solid[k]
        top = region_top[s]
        if (
            px + reach > region_lo[s, 0]
            and px - reach < region_hi[s, 0]
            and pz + reach > region_lo[s, 1]
            and pz - reach < region_hi[s, 1]
            and top <= bottom + STEP
        ):
            ground = max(ground, top)
    for k in range(obstacles.shape[0]):
        o = obstacles[k]
        if not ent_active[i, o]:  # parked far away in the NumPy reference: under nothing
            continue
        cx, cz = ent_pos[i, o, 0], ent_pos[i, o, 2]
        hx, hz = ent_half[i, o, 0], ent_half[i, o, 2]
        top = ent_pos[i, o, 1] + ent_half[i, o, 1]
        if (
            px + reach > cx - hx
            and px - reach < cx + hx
            and pz + reach > cz - hz
            and pz - reach < cz + hz
            and top <= bottom + STEP
        ):
            ground = max(ground, top)
    return ground


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _block_support(
    P: np.ndarray,
    i: int,
    a: int,
    reach: float,
    half_y: float,
    ground: float,
    blocks: np.ndarray,
    ent_pos: np.ndarray,
    ent_half: np.ndarray,
    ent_active: np.ndarray,
) -> float:
    # agents stand on blocks as on obstacles (WallJump's climb: WorldEnv._block_boxes): an active block
    # under the footprint whose top is at most STEP above the agent's bottom raises what it stands on
    px, pz = P[i, a, 0], P[i, a, 2]
    bottom = P[i, a, 1] - half_y + REST_SINK
    for b in range(blocks.shape[0]):
        j = blocks[b]
        if not ent_active[i, j]:
            continue
        cx, cz = ent_pos[i, j, 0], ent_pos[i, j, 2]
        hx, hz = ent_half[i, j, 0], ent_half[i, j, 2]
        top = ent_pos[i, j, 1] + ent_half[i, j, 1]
        if (
            px + reach > cx - hx
            and px - reach < cx + hx
            and pz + reach > cz - hz
            and pz - reach < cz + hz
            and top <= bottom + STEP
        ):
            ground = max(ground, top)
    return ground


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _block_floor(EP: np.ndarray, i: int, j: int, half_x: float, half_z: float) -> float:
    # an open platform holds a block while its centre is over it (WallJump's block pushed off the edge falls,
    # as the agent does: WorldEnv._block_floor)
    return 0.0 if abs(EP[i, j, 0]) <= half_x and abs(EP[i, j, 2]) <= half_z else NO_FLOOR


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _fallen(
    i: int,
    e: int,
    ev_entities: np.ndarray,
    agent_position: np.ndarray,
    entity_position: np.ndarray,
    entity_active: np.ndarray,
    fall_height: float,
) -> bool:
    # the fall event: the agent's centre below fall_height, or (``what`` a block tag) an active block's
    blocks = False
    for j in range(ev_entities.shape[1]):
        if ev_entities[e, j]:
            blocks = True
            if entity_active[i, j] and entity_position[i, j, 1] < fall_height:
                return True
    return not blocks and agent_position[i, 0, 1] < fall_height


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _touching(
    P: np.ndarray,
    i: int,
    j: int,
    ex: float,
    ez: float,
    regions: np.ndarray,
    entities: np.ndarray,
    row: int,
    region_lo: np.ndarray,
    region_hi: np.ndarray,
    ent_pos: np.ndarray,
    ent_half: np.ndarray,
    ent_active: np.ndarray,
    mode: int,
    ent_match: np.ndarray,
) -> bool:
    # whether body (i, j) of reach (ex, ez) is within CONTACT of a region or entity selected by row ``row``;
    # mode 1 counts only cue-matched entities, 2 only unmatched ones, 0 all
    px, pz = P[i, j, 0], P[i, j, 2]
    for r in range(regions.shape[1]):
        if (
            regions[row, r]
            and px + ex >= region_lo[r, 0] - CONTACT
            and px - ex <= region_hi[r, 0] + CONTACT
            and pz + ez >= region_lo[r, 1] - CONTACT
            and pz - ez <= region_hi[r, 1] + CONTACT
        ):
            return True
    for k in range(entities.shape[1]):
        if (
            entities[row, k]
            and ent_active[i, k]
            and (mode == 0 or (mode == 1) == ent_match[i, k])
            and abs(px - ent_pos[i, k, 0]) <= ex + ent_half[i, k, 0] + CONTACT
            and abs(pz - ent_pos[i, k, 2]) <= ez + ent_half[i, k, 2] + CONTACT
        ):
            return True
    return False


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _agent_block(
    AP: np.ndarray,
    AV: np.ndarray,
    BP: np.ndarray,
    BV: np.ndarray,
    i: int,
    a: int,
    j: int,
    cos: float,
    sin: float,
    hx: float,
    hz: float,
    agent_half: float,
    agent_mass: float,
    block_mass: float,
) -> None:
    # separating axes: the block's x and z, the agent's right and forward (touching alone does not push)
    dx = AP[i, a, 0] - BP[i, j, 0]
    dz = AP[i, a, 2] - BP[i, j, 2]
    _, best_overlap, nx, nz = square_box_contact(dx, dz, cos, sin, agent_half, hx, hz, 0.0)
    if best_overlap <= 0.0:
        return
    agent_share = block_mass / (agent_mass + block_mass)  # the lighter body moves more
    AP[i, a, 0] += nx * (agent_share * best_overlap)
    AP[i, a, 2] += nz * (agent_share * best_overlap)
    BP[i, j, 0] -= nx * ((1.0 - agent_share) * best_overlap)
    BP[i, j, 2] -= nz * ((1.0 - agent_share) * best_overlap)
    closing = (AV[i, a, 0] - BV[i, j, 0]) * nx + (AV[i, a, 2] - BV[i, j, 2]) * nz
    if closing < 0.0:
        AV[i, a, 0] -= nx * (agent_share * closing)
        AV[i, a, 2] -= nz * (agent_share * closing)
        BV[i, j, 0] += nx * ((1.0 - agent_share) * closing)
        BV[i, j, 2] += nz * ((1.0 - agent_share) * closing)


@njit(cache=True, nogil=True, error_model="numpy")
def _actors_step(
    i: int,
    actors: tuple,
    AP: np.ndarray,
    EP: np.ndarray,
    EV: np.ndarray,
    EH: np.ndarray,
    entity_active: np.ndarray,
    dt: float,
    half_x: float,
    half_z: float,
    walled: bool,
    scene: tuple,
) -> None:
    # out of line (not inlined into the area step): worlds without actors keep the area step's code small
    _, obstacles, region_lo, region_hi, solid, region_top, _ = scene
    steer_actors(i, actors, AP, EP, EV, EH, entity_active, dt, half_x, half_z)
    for a in range(actors[0].shape[0]):
        j = actors[0][a]
        if entity_active[i, j]:
            _static(
                EP,
                EV,
                i,
                j,
                EH[i, j, 0],
                EH[i, j, 2],
                half_x,
                half_z,
                region_lo,
                region_hi,
                solid,
                obstacles,
                EP,
                EH,
                entity_active,
                walled,
                region_top,
                -math.inf,
            )


@njit(cache=True, nogil=True, error_model="numpy")
def _areas_physics(physics: tuple, live: np.ndarray, reach: np.ndarray) -> None:
    # one physics step of every area i with live[i]; reach[i] is then the (last) agent's reach (half extent
    # of its turned square). The tuples are unpacked once per step, not once per area: every array taken
    # from a tuple (or bound to an inlined helper's argument) costs numba reference counting, which was
    # about 40 % of a PushBlock area's physics step (0.95 -> 0.59 us, bench/bench_sim.py)
    move, speed, kinematic, agent, bodies = physics[0], physics[1], physics[2], physics[3], physics[4]
    scene, zone = physics[5], physics[6]  # the actors' tuple (physics[7]) only where there are actors
    agent_position, agent_velocity, agent_yaw, floor_friction, gravity = bodies[:5]
    entity_position, entity_velocity, entity_half, entity_drag, entity_mass, entity_friction = bodies[5:11]
    entity_active = bodies[11]
    blocks, obstacles, region_lo, region_hi, solid, region_top, _ = scene  # unpacked once: no tuple slices
    zone_blocks, zone_regions, zone_entities, zones = zone
    agent_half, agent_drag, agent_mu, agent_mass = agent[0], agent[1], agent[2], agent[3]
    half_x, half_z, dt, jump_speed, walled = agent[4], agent[5], agent[6], agent[7], agent[8] > 0.0
    AP, AV, EP, EV, EH = agent_position, agent_velocity, entity_position, entity_velocity, entity_half
    K = AP.shape[1]  # agents per area
    trig = bodies[12]  # (n, 2) scratch: cos and sin of each agent's yaw after its turn
    for i in range(live.shape[0]):
        if not live[i]:  # ended this decision: its state is the final one
            continue
        g = gravity[i]
        for a in range(K):
            r = i * K + a  # the agent's row (area-major)
            theta = math.radians(agent_yaw[r])
            cos, sin = math.cos(theta), math.sin(theta)
            ground = _support(
                AP,
                i,
                a,
                agent_half * (abs(cos) + abs(sin)),
                agent_half,
                half_x,
                half_z,
                walled,
                region_lo,
                region_hi,
                region_top,
                solid,
                obstacles,
                EP,
                EH,
                entity_active,
            )
            if blocks.shape[0]:
                foot = agent_half * (abs(cos) + abs(sin))
                ground = _block_support(AP, i, a, foot, agent_half, ground, blocks, EP, EH, entity_active)
            # the action: direction taken before the turn, then the turn and the integration
            dx = move[r, 0] * cos + move[r, 1] * sin + move[r, 3]
            dz = -move[r, 0] * sin + move[r, 1] * cos + move[r, 4]
            if kinematic:
                AV[i, a, 0] = speed[r] * dx
                AV[i, a, 2] = speed[r] * dz
            else:
                AV[i, a, 0] += speed[r] * dx
                AV[i, a, 2] += speed[r] * dz
                standing = AP[i, a, 1] - (ground + agent_half - REST_SINK) <= 1e-6
                if jump_speed > 0.0 and move[r, 5] > 0.0 and standing:
                    AV[i, a, 1] = jump_speed
            agent_yaw[r] = (agent_yaw[r] + move[r, 2]) % 360.0
            if kinematic:
                AP[i, a, 0] += AV[i, a, 0] * dt
                AP[i, a, 1] += AV[i, a, 1] * dt
                AP[i, a, 2] += AV[i, a, 2] * dt
            else:
                mu = 0.5 * (floor_friction[i] + agent_mu)
                _integrate(AP, AV, i, a, agent_half, agent_drag, mu, g, dt, ground)
            theta = math.radians(agent_yaw[r])
            trig[r, 0], trig[r, 1] = math.cos(theta), math.sin(theta)
        for b in range(blocks.shape[0]):
            j = blocks[b]
            if not entity_active[i, j]:  # removed: stays where it left the scene
                continue
            mu = 0.5 * (floor_friction[i] + entity_friction[i, j])
            floor = 0.0 if walled else _block_floor(EP, i, j, half_x, half_z)
            _integrate(EP, EV, i, j, EH[i, j, 1], entity_drag[i, j], mu, g, dt, floor)
        if agent[10] > 0.0:  # scripted actors steer, then walls and solids stop them as they stop blocks
            _actors_step(i, physics[7], AP, EP, EV, EH, entity_active, dt, half_x, half_z, walled, scene)
        extent = 0.0
        for rounds in range(3):
            for b in range(blocks.shape[0]):
                j = blocks[b]
                if not entity_active[i, j]:
                    continue
                for z in range(zones.shape[0]):
                    if zone_blocks[z, j] and _touching(
                        EP,
                        i,
                        j,
                        EH[i, j, 0],
                        EH[i, j, 2],
                        zone_regions,
                        zone_entities,
                        z,
                        region_lo,
                        region_hi,
                        EP,
                        EH,
                        entity_active,
                        0,
                        entity_active,
                    ):
                        zones[z, i] = True
                _static(
                    EP,
                    EV,
                    i,
                    j,
                    EH[i, j, 0],
                    EH[i, j, 2],
                    half_x,
                    half_z,
                    region_lo,
                    region_hi,
                    solid,
                    obstacles,
                    EP,
                    EH,
                    entity_active,
                    walled,
                    region_top,
                    -math.inf,
                )
            for a in range(K):
                extent = agent_half * (abs(trig[i * K + a, 0]) + abs(trig[i * K + a, 1]))
                _static(
                    AP,
                    AV,
                    i,
                    a,
                    extent,
                    extent,
                    half_x,
                    half_z,
                    region_lo,
                    region_hi,
                    solid,
                    obstacles,
                    EP,
                    EH,
                    entity_active,
                    walled,
                    region_top,
                    AP[i, a, 1] - agent_half + REST_SINK,
                )
            if rounds == 2:
                break
            for a in range(K):
                cos, sin = trig[i * K + a, 0], trig[i * K + a, 1]
                for b in range(blocks.shape[0]):
                    j = blocks[b]
                    if not entity_active[i, j]:
                        continue
                    if EP[i, j, 1] + EH[i, j, 1] <= AP[i, a, 1] - agent_half + REST_SINK + STEP:
                        continue  # on (or above) the block: it holds the agent up (_block_support)
                    hx, hz, mass = EH[i, j, 0], EH[i, j, 2], entity_mass[i, j]
                    _agent_block(AP, AV, EP, EV, i, a, j, cos, sin, hx, hz, agent_half, agent_mass, mass)
            if K > 1 or blocks.shape[0] > 1:
                area_pairs(i, physics)
        reach[i] = extent


@njit(cache=True, nogil=True, error_model="numpy")
def world_physics_step(physics: tuple) -> None:
    """One physics step of every area: the action, the bodies, walls, solid regions, obstacles, contacts.

    Args:
        physics: ``(move, speed, kinematic, agent, bodies, scene, zone, actors)``
            (``WorldEnv._physics_arguments``; actors: ``sim.world_actors.ActorTables.kernel_arguments``):
            move ``(n, 6)`` right, forward, turn (degrees), world x, world z, jump (``WorldEnv._move``);
            speed ``(n,)`` move speed; kinematic True for ``set_velocity`` motion; agent: half size, drag,
            friction, mass, half width of the arena (x), of the arena (z), dt, jump speed, 1 when walled (0:
            an open platform), fall height, number of actors (the actors tuple is read only when > 0).
            bodies, updated (``A`` areas of ``k`` agents, ``n = A k`` agents in area-major order): agent
            position ``(A, k, 3)`` (a view of the agents' ``(n, 3)``), agent velocity ``(A, k, 3)``, agent
            yaw ``(n,)`` degrees, floor friction ``(A,)``, gravity ``(A,)``, entity position, velocity and
            half extents ``(A, E, 3)``, entity drag, mass, friction and active ``(A, E)`` (inactive blocks:
            removed, they neither move nor touch), scratch ``(n, 2)`` for each agent's yaw cosine and sine.
            scene: indices of block copies, indices of obstacle and door copies (inactive ones stop
            nothing), region lower and upper (x, z) corners ``(R, 2)``, indices of solid regions, region
            heights ``(R,)`` (tops of the solid ones), the agent's half extents ``(3,)``.
            zone, per push_into_zone event: the blocks it concerns ``(V, E)``, its zone's regions
            ``(V, R)`` and entity copies ``(V, E)``, and ``zones`` ``(V, A)`` bool out, or-ed: a concerned
            block touched the zone.

    """
    n = physics[4][0].shape[0]
    _areas_physics(physics, np.ones(n, dtype=np.bool_), np.empty(n))


# event kinds and ends, as WorldEnv encodes them for world_decision
REACH, COLLECT, TOUCH, PUSH_INTO_ZONE, TIME_PENALTY, SHAPING, FALL, WRONG_CHOICE = 0, 1, 2, 3, 4, 5, 6, 7
NEAR = 8
END_NONE, END_TERMINATED, END_INTERRUPTED = 0, 1, 2


@njit(cache=True, nogil=True, error_model="numpy")
def _distance(
    i: int,
    e: int,
    ev_entities: np.ndarray,
    ev_regions: np.ndarray,
    agent_position: np.ndarray,
    entity_position: np.ndarray,
    entity_active: np.ndarray,
    region_lo: np.ndarray,
    region_hi: np.ndarray,
) -> float:
    # distance to the nearest active entity copy or region centre of event e (0 when there is none)
    px, pz = agent_position[i, 0, 0], agent_position[i, 0, 2]
    best = math.inf
    for r in range(ev_regions.shape[1]):
        if ev_regions[e, r]:
            cx = 0.5 * (region_lo[r, 0] + region_hi[r, 0])
            cz = 0.5 * (region_lo[r, 1] + region_hi[r, 1])
            best = min(best, math.hypot(px - cx, pz - cz))
    for j in range(ev_entities.shape[1]):
        if ev_entities[e, j] and entity_active[i, j]:
            best = min(best, math.hypot(px - entity_position[i, j, 0], pz - entity_position[i, j, 2]))
    return best if best < math.inf else 0.0


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _triggers(
    i: int,
    extent: float,
    agent_position: np.ndarray,
    entity_position: np.ndarray,
    entity_half: np.ndarray,
    entity_active: np.ndarray,
    switches: np.ndarray,
    switch_on: np.ndarray,
    opens: np.ndarray,
    reveals: np.ndarray,
    topples: np.ndarray,
    rests_on: np.ndarray,
) -> None:
    # switches touched turn on (doors vanish, hidden entities appear), then touched obstacles topple and what
    # rests on them drops to the floor: WorldEnv._triggers, copy by copy in the same order
    px, pz = agent_position[i, 0, 0], agent_position[i, 0, 2]
    e_count = switches.shape[0]
    for j in range(e_count):
        if (
            switches[j]
            and entity_active[i, j]
            and not switch_on[i, j]
            and abs(px - entity_position[i, j, 0]) <= extent + entity_half[i, j, 0] + CONTACT
            and abs(pz - entity_position[i, j, 2]) <= extent + entity_half[i, j, 2] + CONTACT
        ):
            switch_on[i, j] = True
            for k in range(e_count):
                if opens[j, k]:
                    entity_active[i, k] = False
            for k in range(e_count):
                if reveals[j, k]:
                    entity_active[i, k] = True
    for j in range(e_count):
        if (
            topples[j]
            and entity_active[i, j]
            and abs(px - entity_position[i, j, 0]) <= extent + entity_half[i, j, 0] + CONTACT
            and abs(pz - entity_position[i, j, 2]) <= extent + entity_half[i, j, 2] + CONTACT
        ):
            entity_active[i, j] = False
            for k in range(e_count):
                if rests_on[k] == j:
                    entity_position[i, k, 1] = entity_half[i, k, 1]


@njit(cache=True, nogil=True, error_model="numpy")
def world_decision(
    physics: tuple,
    events: tuple,
    triggers: tuple,
    prev_distance: np.ndarray,
    entity_value: np.ndarray,
    step_count: np.ndarray,
    max_step: int,
    period: int,
    reward: np.ndarray,
    flags: np.ndarray,
    ended_idx: np.ndarray,
) -> int:
    """Advance every area by one decision: ``period`` physics steps with events, ends and MaxStep.

    The Academy's order per physics step (``WorldEnv._advance``): the step count grows, the time penalty,
    the physics step, the events in file order, then terminated, interrupted and MaxStep ends. An area
    whose episode ends stops being stepped (its state is the final one).

    Args:
        physics: the arguments of ``world_physics_step`` (``zones`` is used as scratch).
        events: ``(kind, value, end, success, entities (V, E), regions (V, R), walls (V,), zone row (V,),
            target mode (V,): 0 all, 1 cue-matched only, 2 unmatched only; entity_match (n, E), within (V,):
            a near event's distance)``.
        triggers: ``(has, switches (E,), switch_on (n, E) updated, opens (E, E), reveals (E, E), topples (E,),
            rests_on (E,))``: what ``WorldEnv._triggers`` runs after each physics step (``has`` False: none).
        prev_distance: ``(V, n)`` shaping distances, updated.
        entity_value: ``(n, E)`` collectible values.
        step_count: ``(n,)`` agent step counts, updated.
        max_step: MaxStep (0: unlimited).
        period: physics steps per decision.
        reward: ``(n,)`` float32 out.
        flags: ``(4, n)`` bool out: ended, terminated, truncated, success.
        ended_idx: ``(n,)`` out: the areas whose episode ended, ascending.

    Returns:
        How many episodes ended.

    """
    agent, bodies, scene, zone = physics[3:7]
    agent_position, entity_position, entity_half, entity_active = bodies[0], bodies[5], bodies[7], bodies[11]
    region_lo, region_hi, zones = scene[2], scene[3], zone[3]
    kind, value, end, success, ev_entities, ev_regions, ev_walls, zone_row, ev_mode, ent_match = events[:10]
    within = events[10]
    has_triggers, switches, switch_on, opens, reveals, topples, rests_on = triggers
    half_x, half_z, fall_height = agent[4], agent[5], agent[9]
    n = agent_position.shape[0]
    # physics step by physics step over the areas still running (the areas share nothing, so each area sees
    # the same operations in the same order as area by area; the tuples are unpacked once per step)
    live = np.ones(n, dtype=np.bool_)
    reach = np.zeros(n)
    for i in range(n):
        reward[i] = np.float32(0.0)
        flags[0, i] = False
        flags[1, i] = False
        flags[2, i] = False
        flags[3, i] = False
    for _ in range(period):
        for i in range(n):
            if not live[i]:
                continue
            step_count[i] += 1
            for e in range(kind.shape[0]):
                if kind[e] == TIME_PENALTY:
                    reward[i] += np.float32(value[e] / max_step)
            for z in range(zones.shape[0]):
                zones[z, i] = False
        _areas_physics(physics, live, reach)
        for i in range(n):
            if not live[i]:
                continue
            extent = reach[i]
            if has_triggers:
                _triggers(
                    i,
                    extent,
                    agent_position,
                    entity_position,
                    entity_half,
                    entity_active,
                    switches,
                    switch_on,
                    opens,
                    reveals,
                    topples,
                    rests_on,
                )
            done = False
            interrupt = False
            won = False
            px, pz = agent_position[i, 0, 0], agent_position[i, 0, 2]
            for e in range(kind.shape[0]):
                k = kind[e]
                if k == TIME_PENALTY:
                    continue
                if k == SHAPING:
                    now = _distance(
                        i,
                        e,
                        ev_entities,
                        ev_regions,
                        agent_position,
                        entity_position,
                        entity_active,
                        region_lo,
                        region_hi,
                    )
                    reward[i] += np.float32(value[e] * (prev_distance[e, i] - now))
                    prev_distance[e, i] = now
                    continue
                gain = 0.0
                if k == PUSH_INTO_ZONE:
                    fired = zones[zone_row[e], i]
                    if fired:
                        gain = value[e]
                elif k == FALL:
                    fired = _fallen(
                        i, e, ev_entities, agent_position, entity_position, entity_active, fall_height
                    )
                    if fired:
                        gain = value[e]
                elif k == NEAR:
                    near = near_distance(i, e, ev_entities, agent_position, entity_position, entity_active)
                    fired = near <= within[e]
                    if fired:
                        gain = value[e] / max_step
                elif k == COLLECT:
                    fired = False
                    for j in range(ev_entities.shape[1]):
                        if (
                            ev_entities[e, j]
                            and entity_active[i, j]
                            and abs(px - entity_position[i, j, 0]) <= extent + entity_half[i, j, 0] + CONTACT
                            and abs(pz - entity_position[i, j, 2]) <= extent + entity_half[i, j, 2] + CONTACT
                        ):
                            gain += value[e] * entity_value[i, j]
                            entity_active[i, j] = False
                            fired = True
                else:
                    fired = _touching(
                        agent_position,
                        i,
                        0,
                        extent,
                        extent,
                        ev_regions,
                        ev_entities,
                        e,
                        region_lo,
                        region_hi,
                        entity_position,
                        entity_half,
                        entity_active,
                        ev_mode[e],
                        ent_match,
                    )
                    if ev_walls[e] and (
                        abs(px) + extent >= half_x - CONTACT or abs(pz) + extent >= half_z - CONTACT
                    ):
                        fired = True
                    if fired:
                        gain = value[e]
                if value[e] != 0.0:
                    reward[i] += np.float32(gain)
                if fired and end[e] == END_TERMINATED:
                    done = True
                    won = won or success[e]
                elif fired and end[e] == END_INTERRUPTED:
                    interrupt = True
            if done:
                flags[1, i] = True
                flags[3, i] = won
            elif interrupt or (max_step > 0 and step_count[i] >= max_step):
                flags[2, i] = True
            if done or flags[2, i]:
                flags[0, i] = True
                live[i] = False
    count = 0
    for i in range(n):  # ascending, as SimEnv expects
        if flags[0, i]:
            ended_idx[count] = i
            count += 1
    return count
