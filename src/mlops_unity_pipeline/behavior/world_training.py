"""Training defaults chosen from a world: budget, network, PPO settings and heuristic demonstrations.

``training_defaults(world)`` grades a world by what makes it hard to learn (issue 18 item 5). Every grade uses
ML-Agents' PushBlock network and entropy (``config/ppo/PushBlock.yaml``: 256 units x 2, beta 0.01) with the
pipeline's buffer 2048 / batch 128 (``specs/mlagents.py``): on the dev set's worlds at 100k steps they beat
the pipeline's 128-unit, beta 5e-3 defaults (LavaWalker 47 % vs 36 % success, ``docs/descriptions.md``).
The grade picks the budget:

- **easy** (reach or collect in an arena up to 20 x 20 with a few hazards): 100k steps, the quick-start
  budget;
- **medium** (a bigger arena, many hazards or obstacles, steering by forward/rotate, discrete moves, chasers):
  200k steps;
- **hard** (pushing a block into a zone, switches and doors, a cue to match, or features the scripted
  heuristic does not play: jumps, mazes, teams): 300k steps (GoalPusher without cloning: 0 % at 100k,
  100 % at 300k).

Wherever the world's scripted heuristic plays the world (``HeuristicPlan.unscripted`` empty), the train stage
records ``DEMONSTRATION_EPISODES`` of it (fewer for jobs under 20k steps: ``cloning_for_budget``) and
trains the job as offline RL from them (``use_offline_rl``: a behavioral-cloning pretrain, then PPO with
ML-Agents' ``behavioral_cloning`` annealed over the run). This is
what makes switches, doors and cues learnable at the quick-start budget: without it PPO never finds the flag
behind the gate (SwitchOpener 0 % at 100k) nor the pillar the sign names (SignReader 0 %), because the
reward comes only at the end of a long or a two-way-ambiguous path.

The decision period is the world's (``DecisionRequester.DecisionPeriod``; the interpreter sets 5 like the
examples). The pipeline merges ``default_settings`` beneath the job's own ``mlagents_overrides`` (the user's
settings win) and never changes the job's ``max_steps``: ``max_steps`` here is the recommended budget, shown
and recorded next to the job's.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from ..demos.record import record_episodes
from ..demos.writer import DemoWriter
from ..sim import make_world
from ..sim.world_heuristic import heuristic_plan, world_heuristic
from ..world.model import ActorBehavior, ContinuousAction, EntityKind, EventKind, World

QUICK_START_STEPS = 100_000
"""The guide's quick-start budget (``max_steps=100_000``)."""
EASY_ARENA_AREA = 400.0
"""Arena floor (square units) up to which a world can be easy: 20 x 20, ReachTarget's and PushBlock's."""
EASY_HAZARDS = 4
"""Hazard and obstacle copies up to which a world can be easy."""
HARD_STEPS = 300_000
"""Budget of hard worlds (GoalPusher learns to 100 % success in it with these settings)."""
DEMONSTRATION_EPISODES = 100
"""Heuristic episodes recorded for cloning at the quick-start budget (a few thousand decisions). SwitchOpener
at 100k steps: cloning 20 episodes (~700 decisions) gave 53 % success, PPO drifting off the few states they
cover; 100 episodes 97 %."""
PRETRAIN_UPDATES = 500
"""Gradient steps of the cloning pretrain at the quick-start budget, for the policy and again for the critic
(``rl.offline.pretrain.PretrainConfig``'s default, measured there)."""
FULL_CLONING_STEPS = 20_000
"""Job budget from which the heuristic is cloned in full: the whole offline phase costs about as much as
20k-25k steps of PPO (a 30k-step ReachTarget job: pretrain 7.6 s of an 18 s train stage), so below this
budget it would cost more than the online training it prepares. SwitchOpener and SignReader in a 20k-step
job: 97-100 % success cloned in full, 38 % and 31 % with a fifth of the episodes and pretrain steps."""
MIN_DEMONSTRATION_EPISODES = 5
"""The fewest heuristic episodes a job that clones records, however short its budget."""
MIN_PRETRAIN_UPDATES = 25
"""The fewest pretrain gradient steps (each) a job that clones runs, however short its budget."""


class Difficulty(StrEnum):
    """How hard a world is expected to be to learn."""

    EASY = "easy"
    MEDIUM = "medium"
    HARD = "hard"


@dataclass(frozen=True)
class WorldTraining:
    """The training settings a world suggests, and why."""

    difficulty: Difficulty
    """The grade."""
    max_steps: int
    """Recommended budget in environment steps (the job's own ``max_steps`` is kept)."""
    hidden_units: int
    """Units per hidden layer."""
    num_layers: int
    """Hidden layers."""
    batch_size: int
    """PPO minibatch."""
    buffer_size: int
    """PPO experience buffer."""
    beta: float
    """Entropy regularisation strength."""
    decision_period: int
    """Physics steps per decision (the world's)."""
    demonstration_episodes: int
    """Heuristic episodes to record for behavioral cloning (0: none)."""
    reasons: tuple[str, ...]
    """What made the grade, one phrase each."""

    def default_settings(self) -> dict[str, Any]:
        """Return ML-Agents ``default_settings`` for these choices.

        Cloning the heuristic is not among them: the train stage records the demonstrations and trains the
        job as offline RL from them (``RLTrainingConfig.use_offline_rl``), which adds ML-Agents'
        ``behavioral_cloning`` section itself.

        Returns:
            A mapping for ``mlagents_overrides["default_settings"]``.

        """
        return {
            "hyperparameters": {
                "batch_size": self.batch_size,
                "buffer_size": self.buffer_size,
                "beta": self.beta,
            },
            "network_settings": {"hidden_units": self.hidden_units, "num_layers": self.num_layers},
        }

    def line(self) -> str:
        """One line for ``--explain`` and the job's progress."""
        cloning = (
            f", behavioral cloning from {self.demonstration_episodes} heuristic episodes"
            if self.demonstration_episodes
            else ""
        )
        return (
            f"training: {self.difficulty.value} ({'; '.join(self.reasons)}): {self.max_steps:,} steps, "
            f"{self.hidden_units} units x {self.num_layers}, buffer {self.buffer_size}, batch "
            f"{self.batch_size}, decision period {self.decision_period}{cloning}"
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "difficulty": self.difficulty.value,
            "max_steps": self.max_steps,
            "hidden_units": self.hidden_units,
            "num_layers": self.num_layers,
            "batch_size": self.batch_size,
            "buffer_size": self.buffer_size,
            "beta": self.beta,
            "decision_period": self.decision_period,
            "demonstration_episodes": self.demonstration_episodes,
            "reasons": list(self.reasons),
        }


def training_defaults(world: World) -> WorldTraining:
    """Grade ``world`` and choose its training settings (see the module docstring).

    Args:
        world: a validated world.

    Returns:
        The settings and the reasons for them.

    """
    plan = heuristic_plan(world)
    hard, medium = [], []
    if any(r.event is EventKind.PUSH_INTO_ZONE for r in world.rewards):
        hard.append("pushing a block into a zone")
    kinds = {e.kind for e in world.entities}
    if EntityKind.SWITCH in kinds or EntityKind.DOOR in kinds:
        hard.append("switches and doors")
    if EntityKind.CUE in kinds:
        hard.append("a cue to match")
    if world.agent.movement.jump_speed > 0:
        hard.append("jumping")
    layout = world.arena.layout
    if layout is not None:  # sparse reward behind turns: the heuristic's demonstrations help (it plays mazes)
        hard.append(f"a {layout.kind.value} layout of {layout.cells[0]} x {layout.cells[1]} cells")
    hard += [f for f in plan.unscripted if not f.startswith("no ") and f not in hard]
    area = world.arena.size[0] * world.arena.size[1]
    if area > EASY_ARENA_AREA:
        medium.append(f"arena {world.arena.size[0]:g} x {world.arena.size[1]:g}")
    hazards = sum(e.count for e in world.entities if e.kind in (EntityKind.HAZARD, EntityKind.OBSTACLE))
    hazards += sum(1 for r in world.arena.regions if r.tag in plan.avoid)
    if hazards > EASY_HAZARDS:
        medium.append(f"{hazards} hazards and obstacles")
    if ContinuousAction.ROTATE in world.agent.actions.continuous:
        medium.append("steering by rotation")
    if world.agent.actions.discrete:
        medium.append("discrete moves")
    if any(e.actor is not None and e.actor.behavior is ActorBehavior.CHASER for e in world.entities):
        medium.append("a chaser")
    # the heuristic's episodes are worth cloning wherever it plays the world as meant and has something to
    # do: seek, switch, flee a chaser or follow a guide (Dodger with PPO alone at 100k: -0.88 mean return,
    # random -0.94, the heuristic +1.00)
    acts = plan.seeks or plan.switches or plan.flee or plan.follow
    demonstrations = DEMONSTRATION_EPISODES * (not plan.unscripted and bool(acts))
    if hard:
        return _choice(Difficulty.HARD, HARD_STEPS, world, demonstrations, hard + medium)
    if medium:
        return _choice(Difficulty.MEDIUM, 2 * QUICK_START_STEPS, world, demonstrations, medium)
    size = f"{world.arena.size[0]:g} x {world.arena.size[1]:g}"
    return _choice(
        Difficulty.EASY,
        QUICK_START_STEPS,
        world,
        demonstrations,
        [f"reach or collect in {size} with {hazards} hazards"],
    )


def _choice(
    difficulty: Difficulty, steps: int, world: World, demonstrations: int, reasons: list[str]
) -> WorldTraining:
    # ML-Agents' config/ppo/PushBlock.yaml: hidden_units 256, num_layers 2, beta 0.01, batch 128, buffer 2048
    return WorldTraining(
        difficulty, steps, 256, 2, 128, 2048, 0.01, world.decision_period, demonstrations, tuple(reasons)
    )


@dataclass(frozen=True)
class HeuristicCloning:
    """How much of the heuristic a job records and clones before PPO takes over."""

    episodes: int
    """Heuristic episodes to record."""
    updates: int
    """Pretrain gradient steps on the policy (and as many on the critic)."""


def cloning_for_budget(training: WorldTraining, max_steps: int) -> HeuristicCloning | None:
    """Scale the cloning ``training`` suggests to a job's ``max_steps``; ``None`` when it clones nothing.

    From ``FULL_CLONING_STEPS`` on a job records ``demonstration_episodes`` and pretrains
    ``PRETRAIN_UPDATES`` steps. Below it both shrink in proportion to the budget (a 2k-step job records 10
    episodes and pretrains 50 steps), down to ``MIN_DEMONSTRATION_EPISODES`` and ``MIN_PRETRAIN_UPDATES``:
    the offline phase is a fixed cost, and a short job (a smoke test, a first look) would otherwise spend
    most of its time cloning.

    Args:
        training: the world's training defaults.
        max_steps: the job's own budget.

    Returns:
        The episodes and updates, or ``None`` when the world is not cloned.

    """
    if training.demonstration_episodes <= 0:
        return None
    scale = min(1.0, max(0, max_steps) / FULL_CLONING_STEPS)
    episodes = max(MIN_DEMONSTRATION_EPISODES, math.ceil(training.demonstration_episodes * scale))
    updates = max(MIN_PRETRAIN_UPDATES, math.ceil(PRETRAIN_UPDATES * scale))
    return HeuristicCloning(min(episodes, training.demonstration_episodes), updates)


def record_heuristic_demo(world: World, out: Path, *, episodes: int, seed: int) -> Path:
    """Record the world's scripted heuristic into a ``.demo`` file (ML-Agents' format, one agent).

    A team world runs one whole area (every member scripted); its first member's steps are recorded.

    Args:
        world: a world the simulator runs.
        out: the ``.demo`` file to write.
        episodes: episodes to record.
        seed: simulator and reset seed.

    Returns:
        The file written.

    """
    env = make_world(world, num_agents=world.agent.count, seed=seed)  # one area: a whole team
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        with DemoWriter(out, env.signature, name="heuristic") as writer:
            record_episodes(env, world_heuristic(env), writer, episodes=episodes, seed=seed)
        return writer.path
    finally:
        env.close()
