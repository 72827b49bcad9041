"""Body pairs of one world area: agent against agent, block against block (``sim.kernels.world``).

A world with several agents per area (``agent.count``) or several blocks separates every pair of them once
per contact round, after the agents met the blocks: agents first (``m < o`` in member order), then the active
blocks (in copy order), each pair with ``contact.box_contact`` (upright boxes turned by their yaws, pushed
apart along the axis of least penetration in inverse proportion to their masses, closing velocity shared) as
PushBlockCollab separates its bodies. ``WorldEnv._pairs`` is the NumPy reference, in the same order.
"""

from __future__ import annotations

import math

from numba import njit

from .contact import box_contact, near


@njit(cache=True, nogil=True, error_model="numpy")
def area_pairs(i: int, physics: tuple) -> None:
    """Separate the agents of area ``i`` from one another, then its active blocks from one another.

    Args:
        i: the area.
        physics: ``WorldEnv._physics_arguments``' tuple (agents ``(areas, k, 3)``, entities ``(areas, E, 3)``;
            the scene's last item is the agent's half extents ``(3,)``, the bodies' last the cosine and sine
            of each agent's yaw ``(n, 2)``).

    """
    agent, bodies, scene = physics[3], physics[4], physics[5]
    AP, AV, trig = bodies[0], bodies[1], bodies[12]
    EP, EV, EH, entity_mass, entity_active = bodies[5], bodies[6], bodies[7], bodies[9], bodies[11]
    blocks, agent_halves = scene[0], scene[6]
    mass = agent[3]
    k = AP.shape[1]
    if k > 1:
        ap, av = AP[i], AV[i]
        reach = 2.0 * math.hypot(agent_halves[0], agent_halves[2])
        for m in range(k):
            cm, sm = trig[i * k + m, 0], trig[i * k + m, 1]
            for o in range(m + 1, k):
                if not near(ap, m, ap, o, reach):
                    continue
                box_contact(
                    ap, av, m, cm, sm, agent_halves, mass,
                    ap, av, o, trig[i * k + o, 0], trig[i * k + o, 1], agent_halves, mass,
                )  # fmt: skip
    if blocks.shape[0] < 2:
        return
    ep, ev, eh = EP[i], EV[i], EH[i]
    for x in range(blocks.shape[0]):
        j = blocks[x]
        if not entity_active[i, j]:
            continue
        for y in range(x + 1, blocks.shape[0]):
            o = blocks[y]
            # axis-aligned boxes overlap exactly when their extents overlap on x and z: a broad phase tighter
            # than the circles' (NumPy's) that skips only pairs box_contact would leave apart anyway
            if (
                entity_active[i, o]
                and abs(ep[j, 0] - ep[o, 0]) < eh[j, 0] + eh[o, 0]
                and abs(ep[j, 2] - ep[o, 2]) < eh[j, 2] + eh[o, 2]
            ):
                box_contact(
                    ep, ev, j, 1.0, 0.0, eh[j], entity_mass[i, j],
                    ep, ev, o, 1.0, 0.0, eh[o], entity_mass[i, o],
                )  # fmt: skip
