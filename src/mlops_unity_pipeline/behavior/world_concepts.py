"""The concepts of the world interpreter: each reads the description and adds entities, regions, rewards.

``Draft`` is the world under composition; every concept reader (``CONCEPTS``, in order) looks for its phrases
(``world_words``) and records what it added as an ``ExplainRecord``, approximations in the record's note.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..world.model import (
    Actor,
    ActorBehavior,
    Body,
    EndKind,
    Entity,
    EntityKind,
    EventKind,
    Layout,
    LayoutKind,
    Region,
    RegionKind,
    RewardEvent,
    Scope,
    Shape,
    Spawn,
    VectorItem,
    VectorItemKind,
)
from .world_records import ExplainRecord, Refusal
from .world_words import (
    ARENA_SIDE,
    COLOURS,
    FLOOR_HAZARDS,
    GUIDE_SPEED,
    MANY_DEFAULT,
    MAX_STEP_HARD,
    MAX_STEP_NAV,
    MOVING_WORDS,
    NEAR_WITHIN,
    NON_TARGETS,
    NUMBERS,
    OBSTACLE_WORDS,
    PLACE_WORDS,
    PRONOUNS,
    REFUSALS,
    RESERVED_TAGS,
    ROUTE_WORDS,
    Phrase,
    count_before,
    noun_phrase,
    singular,
    span,
)

# --- the draft ----------------------------------------------------------------------------------------------


@dataclass
class Draft:
    """The world under composition, with the records of how each part came about."""

    text: str
    records: list[ExplainRecord] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    regions: list[Region] = field(default_factory=list)
    rewards: list[RewardEvent] = field(default_factory=list)
    seek: list[str] = field(default_factory=list)
    """Tags the agent must find (direction sensors point at them)."""
    avoid: list[str] = field(default_factory=list)
    """Tags the agent must keep away from."""
    solid: list[str] = field(default_factory=list)
    """Tags of obstacles the rays must see."""
    followed: list[str] = field(default_factory=list)
    """Tags of moving things the agent keeps close to (not read again as hazards, chasers or targets)."""
    claimed: set[str] = field(default_factory=set)
    """Nouns already given a role (not read again as targets)."""
    layout: Layout | None = None
    agent_count: int = 1
    jump: bool = False
    drive: bool = False
    push: bool = False
    survive: bool = False
    open_arena: bool = False
    hurry: bool = False
    max_step: int = MAX_STEP_NAV
    arena_side: float = ARENA_SIDE
    agent_spawn: Spawn = field(default_factory=Spawn)
    extra_vector: list[VectorItem] = field(default_factory=list)

    def note(self, source: str, concept: str, part: str, note: str = "") -> None:
        """Record that ``source`` (words or an asset field) became ``part`` of the world as ``concept``."""
        self.records.append(ExplainRecord(source, concept, part, note))

    def tags(self) -> set[str]:
        """Return the tags of the entities and regions so far."""
        return {e.tag or e.kind.value for e in self.entities} | {r.tag for r in self.regions if r.tag}

    def unique_tag(self, tag: str) -> str:
        """Return ``tag``, numbered when it is taken or reserved (``wall``, ``ground``, ``agent``)."""
        taken = self.tags() | RESERVED_TAGS
        out, n = tag, 2
        while out in taken:
            out, n = f"{tag}{n}", n + 1
        return out

    @property
    def half(self) -> float:
        """Half the arena's side."""
        return self.arena_side / 2.0


# --- concepts -----------------------------------------------------------------------------------------------


def refusal_of(text: str) -> Refusal | None:
    """Return the refusal for a normalized description asking for a concept the IR lacks (``REFUSALS``)."""
    for pattern, missing, nearest in REFUSALS:
        match = re.search(pattern, text)
        if match:
            return Refusal(missing, nearest, match.group(0))
    return None


def _team(d: Draft) -> None:
    match = re.search(r"\b(two|three|four|2|3|4) (robots|agents|players|bots|drones|cars|workers)\b", d.text)
    together = re.search(r"\b((?:work\w* )?together|team\w*|cooperat\w*|collaborat\w*|jointly)\b", d.text)
    if not match and not together:
        return
    count = 2
    if match:
        raw = match.group(1)
        count = int(raw) if raw.isdigit() else NUMBERS[raw]
    d.agent_count = count
    d.note(
        (match or together).group(0),  # type: ignore[union-attr]  # one of them matched
        "team",
        f"agent.count {count}, groups.size {count}; goal rewards scope group",
        "" if match else "no number of agents given: 2",
    )
    if match and together:
        d.note(together.group(0), "team", "rewards scope group (the team shares its goal reward)")


def _maze(d: Draft) -> None:
    match = re.search(
        r"\b(?:find (?:the|a|your) way out of (?:a |the )?)?(small |large |big )?(maze|labyrinth)\b", d.text
    )
    if not match:
        return
    cells = 3 if match.group(1) == "small " else 5
    d.arena_side = 4.0 * cells
    d.layout = Layout(LayoutKind.MAZE, (cells, cells))
    d.max_step = MAX_STEP_HARD
    corner = d.half - 2.0
    d.agent_spawn = Spawn(area=((-d.half + 0.5, -d.half + 0.5), (-corner + 1.5, -corner + 1.5)))
    d.note(match.group(0), "maze", f"arena.layout maze {cells}x{cells} cells of 4, new each episode")
    d.claimed |= {"maze", "labyrinth", "way"}


def _push(d: Draft) -> None:
    match = re.search(r"\b(?:push|shove|nudge|slide|roll|guide|move|get)\w* (?=(?P<rest>.*))", d.text)
    if not match:
        return
    block = noun_phrase(match.group("rest"), limit=3)
    if block is None or block.noun in NON_TARGETS or block.noun in ("yourself", "agent", "self"):
        return
    into = re.search(r"\b(?:into|onto|to|towards|in|on) (?P<zone>.*)", match.group("rest"))
    zone = noun_phrase(into.group("zone")) if into else None
    if block is None or zone is None:
        return
    d.push = True
    heavy = any(a in ("heavy", "big", "large", "huge") for a in block.adjectives)
    mass = 30.0 if heavy else 10.0
    tag = d.unique_tag(block.tag)
    d.entities.append(
        Entity(
            name=tag,
            kind=EntityKind.BLOCK,
            tag=tag,
            size=(2.0, 0.75, 2.0),
            body=Body(mass=mass, drag=0.5),
            spawn=Spawn(area=((-d.half / 2, -d.half / 2), (d.half / 2, d.half / 2)), clearance=2.5),
        )
    )
    d.note(
        block.text,
        "movable block",
        f"entities.{tag} (kind block, mass {mass:g})",
        "heavy: mass 30 (three times PushBlock's)" if heavy else "",
    )
    zone_tag = "goal" if "goal" in zone.words else d.unique_tag(zone.tag)
    # PushBlock's goal: a strip along one end of the arena (docs/simulator.md, "PushBlock").
    d.regions.append(
        Region(zone_tag, RegionKind.GOAL, (0.0, -d.half + 2.0), (d.arena_side, 4.0), tag=zone_tag)
    )
    scope = Scope.GROUP if d.agent_count > 1 else Scope.AGENT
    d.rewards.append(
        RewardEvent(
            EventKind.PUSH_INTO_ZONE,
            5.0,
            what=tag,
            into=zone_tag,
            end=EndKind.TERMINATED,
            success=True,
            scope=scope,
        )
    )
    d.note(zone.text, "goal zone", f"arena.regions.{zone_tag} (a strip at one end, PushBlock's layout)")
    d.note(
        f"{span(match, block)} {into.group(0).split(' ')[0]} {zone.text}",
        "push_into_zone",
        f"rewards: push_into_zone {tag} into {zone_tag} +5, ends, success",
    )
    if "weak" in d.text or "alone" in d.text:
        d.note(
            "one alone is too weak",
            "team strength",
            f"entities.{tag}.body.mass {mass:g}",
            "approximated: the IR has no minimum number of pushers; a heavy block moves slower for one agent",
        )
    d.seek += [tag, zone_tag]
    d.claimed |= {block.noun, zone.noun, *zone.adjectives}
    d.max_step = MAX_STEP_HARD
    d.hurry = True


def _collect(d: Draft) -> None:
    for match in re.finditer(
        r"\b(collect\w*|pick\w* up|gather\w*|grab\w*|eat\w*|harvest\w*|get|take|steal|obtain)\b"
        r" (?=(?P<rest>.*))",
        d.text,
    ):
        phrase = noun_phrase(match.group("rest"))
        if phrase is None or phrase.noun in NON_TARGETS:
            continue
        head = match.group("rest").split()
        n = count_before(" ".join(head[: head.index(phrase.words[0])]), 10_000)
        plural = phrase.words[-1] != phrase.noun or re.match(r"(every|all|each)\b", match.group("rest"))
        count = n if n else (MANY_DEFAULT if plural or "scattered" in d.text else 1)
        count = max(1, min(count, 32))
        tag = d.unique_tag(phrase.noun)
        d.entities.append(
            Entity(
                name=tag,
                kind=EntityKind.COLLECTIBLE,
                tag=tag,
                shape=Shape.SPHERE,
                size=(1, 1, 1),
                count=count,
                value=1.0,
            )
        )
        d.rewards.append(RewardEvent(EventKind.COLLECT, 1.0, what=tag))
        d.note(
            span(match, phrase),
            "collect",
            f"entities.{tag} (collectible x{count}, value +1); rewards: collect {tag} +1",
            "" if n else f"no number given: {count}",
        )
        d.seek.append(tag)
        d.claimed.add(phrase.noun)
        if "quick" in d.text or "fast" in d.text:
            d.note(
                "as quickly as possible",
                "speed",
                "(not expressed)",
                "the IR has no 'all collected' end: episodes run to max_step, so collecting early is what "
                "leaves time for more",
            )
        return


FOLLOW_VERBS = (
    r"\b(?:follow\w*|shadow\w*|tail\w*|escort\w*|accompan\w*|trail\w* (?:behind|after)"
    r"|(?:stay|stays|staying|keep|keeps|keeping|stick|sticks|sticking|remain\w*|walk\w*|run|runs|running|"
    r"move|moves|moving|drive|drives|driving|be)"
    r" (?:(?:close|closely|near|right) (?:to|behind|beside|by|with|after)?"
    r"|behind|beside|alongside|next to|with"
    r"|within (?:\d+(?:\.\d+)? ?|a few |two |three |four |five )?(?:\w+ )?of)"
    r"|keep\w* (?:up|pace) with|stick\w* to)\b ?(?=(?P<rest>.*))"
)
"""Phrases of keeping close to something: follow, escort, stay close to / behind, keep up with, stay within N
of; the noun phrase after them is what is followed."""
FOLLOWING = r"(?:follow|shadow|tail|escort|accompan|trail|keep\w* (?:up|pace) with)"
"""The phrases of ``FOLLOW_VERBS`` that say the followed thing moves."""
MOVES = "moves|walks|wanders|roams|patrols|drives|runs|rolls|flies|circles|travels|goes|leads"
"""Verbs after a noun that give it motion ("the guide walks around the room")."""
BUMP = (
    r"\b(?:without|do not|never|not) (?:bumping into|touching|hitting|colliding with|running into"
    r"|crashing into|bump into|touch|hit|collide with|run into|crash into)"
    r" (?P<what>it|him|her|them|(?:the |a )?\w+)\b"
)


def _follow(d: Draft) -> None:
    """Keep close to a moving thing: a guide actor (patrolling, or fleeing when said) and a ``near`` reward.

    The ``near`` event pays ``1 / max_step`` on every step within the distance, so the whole episode spent
    close earns +1 and an idle agent, left behind by the moving guide, next to nothing (the sanity check's
    idle rollout measures it). "Follow the path/signs" is a route (``ROUTE_WORDS``), left to the reach reader.
    """
    found: tuple[str, Phrase] | None = None
    for match in re.finditer(FOLLOW_VERBS, d.text):
        phrase = noun_phrase(match.group("rest"))
        if phrase is None or phrase.noun in ROUTE_WORDS or phrase.noun in NON_TARGETS - PRONOUNS:
            continue
        if phrase.noun in PRONOUNS or phrase.noun in PLACE_WORDS or phrase.noun in FLOOR_HAZARDS:
            continue  # "stay close behind it" repeats a guide named before; a place or the lava does not move
        found = (span(match, phrase), phrase)
        break
    if found is None:
        return
    source, phrase = found
    tag = d.unique_tag(phrase.noun)
    within_match = re.search(r"\bwithin (\d+(?:\.\d+)?) ?(?:m|meters?|metres?|units?|steps?)?\b", d.text)
    within = max(1.0, min(float(within_match.group(1)), d.half)) if within_match else NEAR_WITHIN
    flees = re.search(r"\b(flee\w*|run\w* away|escap\w*|evad\w*)\b", d.text)
    # "follow", "escort", "keep up with" say the thing moves; "stay near the campfire" does not, unless the
    # phrase or the text gives it motion ("the patrol drone", "the guide walks around").
    moving = (
        re.match(FOLLOWING, source) is not None
        or set(phrase.words) & MOVING_WORDS
        or re.search(rf"\b{re.escape(phrase.noun)}s? (?:{MOVES})\b", d.text) is not None
    )
    if flees:
        actor: Actor | None = Actor(ActorBehavior.EVADER, speed=3.0)
        moves = f"actor evader, speed 3 ('{flees.group(0)}'); the agent moves at 5"
    elif moving:
        q = d.half / 2
        # A loop around the arena's middle, so the guide never stands still and never hugs a wall.
        loop = ((-q, -q), (q, -q), (q, q), (-q, q))
        actor = Actor(ActorBehavior.PATROLLER, speed=GUIDE_SPEED, waypoints=loop)
        moves = f"actor patrolling a square loop of side {d.half:g}, speed {GUIDE_SPEED:g}; the agent: 5"
    else:
        actor = None
        moves = "target, placed anew each episode: the description does not say it moves"
    d.entities.append(
        Entity(
            name=tag,
            kind=EntityKind.ACTOR if actor else EntityKind.TARGET,
            tag=tag,
            actor=actor,
            spawn=Spawn(at=(-d.half / 2, -d.half / 2)) if actor and not flees else Spawn(),
        )
    )
    d.rewards.append(RewardEvent(EventKind.NEAR, 1.0, what=tag, within=within))
    d.note(
        source,
        "follow",
        f"entities.{tag} ({moves}); rewards: near {tag} within {within:g}, +1 over an episode spent close",
        ("" if within_match else f"no distance given: {within:g}")
        + ("; 'behind' approximated: the reward counts distance, not the side" if "behind" in d.text else ""),
    )
    d.seek.append(tag)
    d.followed.append(tag)
    d.claimed |= set(phrase.words)
    bump = re.search(BUMP, d.text)
    bumped = bump.group("what").split()[-1] if bump else ""
    if bump and (bumped in PRONOUNS or singular(bumped) == tag):
        d.rewards.append(RewardEvent(EventKind.TOUCH, -0.01, what=tag))
        d.note(
            bump.group(0),
            "do not bump",
            f"rewards: touch {tag} -0.01 per step of contact",
            "a mild penalty (the wall penalty's idiom): ending the episode would teach keeping away",
        )


def _avoid(d: Draft) -> None:
    pattern = (
        r"\b(avoid\w*|dodg\w*|but not|stay away from|keep off|keep away from|without (?:stepping on|touching|"
        r"hitting|bumping into|falling into|entering)|do not (?:touch|step on|hit))\b (?=(?P<rest>.*))"
    )
    for match in re.finditer(pattern, d.text):
        if match.group("rest").startswith("being "):  # "avoid being caught by the cat": a chaser
            continue
        phrase = noun_phrase(match.group("rest"))
        if phrase is None or phrase.noun in d.followed:  # bumping into a followed guide: _follow's penalty
            continue
        good = [e for e in d.entities if e.kind is EntityKind.COLLECTIBLE and e.value > 0]
        if good and (phrase.noun in ("one", "ones") or any(phrase.noun == e.tag for e in good)):
            base = good[0]
            adjective = phrase.adjectives[0] if phrase.adjectives else "bad"
            tag = d.unique_tag(f"{adjective}_{base.tag}")
            d.entities.append(
                Entity(
                    name=tag,
                    kind=EntityKind.COLLECTIBLE,
                    tag=tag,
                    shape=base.shape,
                    size=base.size,
                    count=max(1, base.count // 2),
                    value=-1.0,
                )
            )
            d.rewards.append(RewardEvent(EventKind.COLLECT, 1.0, what=tag))
            d.note(
                span(match, phrase),
                "avoid (bad collectible)",
                f"entities.{tag} (collectible x{max(1, base.count // 2)}, value -1); "
                f"rewards: collect {tag} -1",
            )
            d.avoid.append(tag)
            continue
        if phrase.noun == "wall" or phrase.noun in OBSTACLE_WORDS:
            _obstacles(d, span(match, phrase), phrase)
            continue
        floor = phrase.noun in PLACE_WORDS or any(w in FLOOR_HAZARDS for w in phrase.words)
        base_tag = next((w for w in phrase.words if w in FLOOR_HAZARDS), phrase.tag)
        tag = d.unique_tag(base_tag)
        if floor:
            spots = ((-4.0, 1.0), (4.0, -3.0), (1.0, 5.5))
            for i, (x, z) in enumerate(spots):
                d.regions.append(
                    Region(
                        f"{tag}_{i}",
                        RegionKind.HAZARD,
                        (x * d.half / 10, z * d.half / 10),
                        (3.0, 3.0),
                        tag=tag,
                    )
                )
            part = f"arena.regions {tag}_0..2 (3 hazard tiles 3x3)"
        elif set(phrase.adjectives) & MOVING_WORDS:
            h = d.half - 1.0
            d.entities.append(
                Entity(
                    name=tag,
                    kind=EntityKind.ACTOR,
                    tag=tag,
                    count=3,
                    actor=Actor(ActorBehavior.PATROLLER, speed=3.0, waypoints=((-h, 0.0), (h, 0.0))),
                    spawn=Spawn(area=((-h, -2.0), (h, 2.0))),
                )
            )
            part = f"entities.{tag} (3 actors patrolling across the middle, speed 3)"
        else:
            d.entities.append(
                Entity(name=tag, kind=EntityKind.HAZARD, tag=tag, size=(1.0, 1.0, 1.0), count=3)
            )
            part = f"entities.{tag} (hazard x3)"
        d.rewards.append(RewardEvent(EventKind.TOUCH, -1.0, what=tag, end=EndKind.TERMINATED))
        d.note(span(match, phrase), "avoid (hazard)", f"{part}; rewards: touch {tag} -1, ends the episode")
        d.avoid.append(tag)
        d.claimed |= {phrase.noun, *phrase.words}


def _obstacles(d: Draft, source: str, phrase: Phrase) -> None:
    """Add solid things to keep clear of (the walls, or obstacle entities); bumping costs a little."""
    if phrase.noun == "wall":
        tag = "wall"
        part = "the outer walls"
    else:
        tag = d.unique_tag(phrase.noun)
        number = re.search(rf"\b(\d+|{'|'.join(NUMBERS)}) {re.escape(phrase.words[-1])}\b", d.text)
        count = (
            (int(number.group(1)) if number.group(1).isdigit() else NUMBERS[number.group(1)]) if number else 4
        )
        count = max(1, min(count, 16))
        d.entities.append(
            Entity(
                name=tag,
                kind=EntityKind.OBSTACLE,
                tag=tag,
                size=(1.5, 1.5, 1.5),
                count=count,
                spawn=Spawn(clearance=1.5),
            )
        )
        part = f"entities.{tag} (obstacle x{count})" + ("" if number else " (no number given: 4)")
    if not any(r.event is EventKind.TOUCH and r.what == tag for r in d.rewards):
        d.rewards.append(RewardEvent(EventKind.TOUCH, -0.005, what=tag))
    d.note(source, "obstacles", f"{part}; rewards: touch {tag} -0.005 per step (ReachTarget's wall penalty)")
    d.solid.append(tag)
    d.claimed |= {phrase.noun, *phrase.words}


def _around(d: Draft) -> None:
    match = re.search(r"\b(?:around|past|between|through|among) (?=(?P<rest>.*))", d.text)
    phrase = noun_phrase(match.group("rest")) if match else None
    if match is None or phrase is None or phrase.noun not in OBSTACLE_WORDS or phrase.noun in d.claimed:
        return
    _obstacles(d, span(match, phrase), phrase)


def _switch(d: Draft) -> None:
    plate = re.search(
        r"\b(?:(?:step|stand|press|push|pull|hit|touch)\w* (?:on )?(?:the |a )?(?:\w+ )?)?"
        r"(pressure plate|button|switch|lever|plate|trigger)\b",
        d.text,
    )
    door = re.search(r"\bopen\w* (?:the |a )?(gate|door|barrier|hatch)\b", d.text)
    if not plate or not door:
        return
    h, gap = d.half, 1.5
    d.max_step = MAX_STEP_HARD
    # A wall across the arena at z = 2 with the door in its gap: the flag lies behind it.
    for side, x0, x1 in (("left", -h, -gap), ("right", gap, h)):
        d.entities.append(
            Entity(
                name=f"divider_{side}",
                kind=EntityKind.OBSTACLE,
                tag="divider",
                size=(x1 - x0, 1.5, 0.5),
                spawn=Spawn(at=((x0 + x1) / 2, 2.0)),
            )
        )
    door_name = door.group(1)
    d.entities.append(
        Entity(
            name=door_name,
            kind=EntityKind.DOOR,
            tag=door_name,
            size=(2 * gap, 1.5, 0.5),
            spawn=Spawn(at=(0.0, 2.0)),
        )
    )
    d.entities.append(
        Entity(
            name="plate",
            kind=EntityKind.SWITCH,
            tag="plate",
            size=(1.0, 0.1, 1.0),
            opens=door_name,
            spawn=Spawn(area=((-h + 1, -h + 1), (h - 1, -1.0))),
        )
    )
    d.agent_spawn = Spawn(area=((-h + 1, -h + 1), (h - 1, -1.0)))
    d.note(plate.group(0), "switch", "entities.plate (switch, opens the door when touched)")
    d.note(door.group(0), "door", f"entities.{door_name} (door in a wall across the arena, z = 2)")
    d.solid += ["divider", door_name]
    d.seek.append("plate")
    d.claimed |= {"plate", "pressure", "button", "switch", "lever", door_name}
    # Whether the plate is on decides where to go next (plate or doorway), so the agent senses it, as
    # Pyramids' agent observes its switch (AddObservation(m_SwitchLogic.GetState())).
    d.extra_vector += [VectorItem(VectorItemKind.POSITION), VectorItem(VectorItemKind.SWITCH_STATE, "plate")]


def _cue(d: Draft) -> None:
    cue = re.search(
        r"\b(?:(?:look|glance)\w* at (?:the |a )?)?(sign|signal|cue|light|symbol|banner|poster)\b", d.text
    )
    same = re.search(r"\b(same color|matching|match(?:es)?|the color of|indicated)\b", d.text)
    if not cue or not same:
        return
    choice = re.search(r"\b(?:touch|reach|go to|pick|choose|select)\w* (?=(?P<rest>.*))", d.text)
    phrase = noun_phrase(choice.group("rest")) if choice else None
    tag = d.unique_tag(phrase.tag if phrase else "choice")
    colours = tuple(c for c in COLOURS if re.search(rf"\b{c}\b", d.text)) or ("red", "green")
    if len(colours) < 2:
        colours = (colours[0], next(c for c in COLOURS if c != colours[0]))
    d.entities.append(
        Entity(
            name=cue.group(1),
            kind=EntityKind.CUE,
            tag=cue.group(1),
            cue_values=colours,
            spawn=Spawn(at=(0.0, -d.half + 2.0)),
        )
    )
    xs = [(-d.half + 3) + i * (d.arena_side - 6) / max(1, len(colours) - 1) for i in range(len(colours))]
    for colour, x in zip(colours, xs, strict=True):
        d.entities.append(
            Entity(
                name=f"{tag}_{colour}",
                kind=EntityKind.TARGET,
                tag=tag,
                matches=colour,
                spawn=Spawn(at=(x, d.half - 2.0)),
            )
        )
    d.rewards.append(RewardEvent(EventKind.WRONG_CHOICE, -1.0, what=tag, end=EndKind.TERMINATED))
    d.rewards.append(RewardEvent(EventKind.REACH, 1.0, what=tag, end=EndKind.TERMINATED, success=True))
    d.note(
        cue.group(0),
        "cue",
        f"entities.{cue.group(1)} (cue, one of {list(colours)} drawn per episode)",
        "" if re.search(r"\b(red|green|blue|yellow)\b", d.text) else "no colours named: red and green",
    )
    if choice and phrase:
        d.note(span(choice, phrase), "choice", f"entities.{tag}_* (one per cue value)")
    d.note(
        same.group(0),
        "matching choice",
        f"entities.{tag}_* (targets at fixed places, one per colour); rewards: reach {tag} +1 success, "
        f"wrong_choice {tag} -1 ends",
    )
    d.extra_vector += [VectorItem(VectorItemKind.CUE, cue.group(1)), VectorItem(VectorItemKind.POSITION)]
    d.seek.append(tag)
    d.claimed |= {cue.group(1), phrase.noun if phrase else "choice"}
    d.agent_spawn = Spawn(area=((-2.0, -d.half + 3.5), (2.0, -d.half + 5.0)))


def _chaser(d: Draft) -> None:
    match = re.search(
        r"\b(?:a|an|the) (?P<np>(?:\w+ ){0,2}?\w+) (?:chases|hunts|pursues|follows|attacks) "
        r"(?:you|the agent|it)\b",
        d.text,
    )
    if not match:
        match = re.search(
            r"\b(?:escape|flee|run away|run|get away|hide|evade|(?:avoid )?being caught by|caught by|"
            r"stay away from|keep away from)(?: from)? (?P<np>(?:the |a |an )?(?:\w+ ){0,2}?"
            r"(?:zombie|ghost|monster|hunter|predator|enemy|enemies|"
            r"wolf|wolves|guard|chaser|robot|cat|dog|bear)s?)\b",
            d.text,
        )
    if not match:
        return
    phrase = noun_phrase(match.group("np"))
    if phrase is None or set(phrase.words) & set(d.followed):  # "run behind the robot": it is followed
        return
    tag = d.unique_tag(phrase.adjectives[-1] if phrase.adjectives else phrase.noun)
    d.entities.append(
        Entity(name=tag, kind=EntityKind.ACTOR, tag=tag, actor=Actor(ActorBehavior.CHASER, speed=3.0))
    )
    d.rewards.append(RewardEvent(EventKind.TOUCH, -1.0, what=tag, end=EndKind.TERMINATED))
    d.note(
        match.group(0),
        "chaser",
        f"entities.{tag} (actor chaser, speed 3; the agent moves at 5); "
        f"rewards: touch {tag} -1, ends the episode",
    )
    d.avoid.append(tag)
    d.claimed |= set(phrase.words)
    survive = re.search(
        r"\b(surviv\w*|as long as (?:possible|you can)|stay alive|escape|evade|run away)\b", d.text
    )
    if survive:
        d.survive = True
        d.rewards.append(RewardEvent(EventKind.TIME_PENALTY, 1.0))
        d.note(
            survive.group(0), "survive", "rewards: time_penalty +1 (a survival bonus spread over max_step)"
        )


def _evader(d: Draft) -> None:
    match = re.search(r"\b(?:chase|catch|tag|hunt down|capture|pursue|corner)\b (?=(?P<rest>.*))", d.text)
    if not match:
        return
    phrase = noun_phrase(match.group("rest"))
    if phrase is None or phrase.noun in NON_TARGETS or phrase.noun in d.claimed:
        return
    tag = d.unique_tag(phrase.noun)
    flees = re.search(r"\b(flee\w*|run\w* away|escap\w*|evad\w*|running)\b", d.text)
    if flees:
        d.entities.append(
            Entity(name=tag, kind=EntityKind.ACTOR, tag=tag, actor=Actor(ActorBehavior.EVADER, speed=3.0))
        )
        part = f"entities.{tag} (actor evader, speed 3; the agent moves at 5)"
    else:
        d.entities.append(Entity(name=tag, kind=EntityKind.TARGET, tag=tag))
        part = f"entities.{tag} (target: the description does not say it moves)"
    d.rewards.append(RewardEvent(EventKind.REACH, 1.0, what=tag, end=EndKind.TERMINATED, success=True))
    tagged = re.search(r"\band (?:tag|catch|touch|grab) (?:it|him|her|them)\b", d.text)
    source = span(match, phrase) + (f" {tagged.group(0)}" if tagged else "")
    d.note(source, "chase", f"{part}; rewards: reach {tag} +1, ends, success")
    d.seek.append(tag)
    d.claimed |= set(phrase.words)
    d.hurry = True


def _jump(d: Draft) -> None:
    match = re.search(r"\b(?:jump|hop|leap|vault)\w* (?:over|across|onto|past) (?=(?P<rest>.*))", d.text)
    if not match:
        return
    phrase = noun_phrase(match.group("rest"))
    if phrase is None:
        return
    tag = d.unique_tag(phrase.tag)
    d.jump = True
    d.entities.append(
        Entity(
            name=tag,
            kind=EntityKind.OBSTACLE,
            tag=tag,
            size=(d.arena_side, 1.5, 0.5),
            spawn=Spawn(at=(0.0, 0.0)),
        )
    )
    d.agent_spawn = Spawn(area=((-d.half + 1, -d.half + 1), (d.half - 1, -2.0)))
    d.note(
        span(match, phrase),
        "jump over",
        f"entities.{tag} (obstacle 1.5 high across the arena); agent.movement.jump_speed 8 on a dynamic "
        "body (gravity); a jump action",
    )
    d.solid.append(tag)
    # a jump only leaves the ground: the agent senses whether it stands (WallJump's agent reads it too)
    d.extra_vector.append(VectorItem(VectorItemKind.GROUNDED))
    d.claimed |= set(phrase.words)


TARGET_VERBS = (
    r"\b(?:reach\w*|get to|touch\w*|find|arrive at|enter|visit|(?:go|goes|drive|walk|run|move|head|park|"
    r"navigate|travel|step|roll|fly)\w* (?:in|into|to|towards|onto|through the \w+ to)"
    r"|(?:park|drive|steer)\w* (?:the |your )?(?:car|vehicle|truck|kart|robot) (?:in|into|to|onto))\b"
    r" (?=(?P<rest>.*))"
)


def _target(d: Draft) -> None:
    found: list[tuple[str, Phrase]] = []
    for match in re.finditer(TARGET_VERBS, d.text):
        phrase = noun_phrase(match.group("rest"))
        if phrase is not None:
            found.append((span(match, phrase), phrase))
    # "... then go to the flag", "escape through the exit door"
    for match in re.finditer(r"\b(?:to|through|towards) (?:the|a|an) (?=(?P<rest>.*))", d.text):
        phrase = noun_phrase(match.group("rest"))
        if phrase is not None:
            found.append((span(match, phrase), phrase))
    for source, phrase in found:
        if phrase.noun in NON_TARGETS or phrase.noun in d.claimed or set(phrase.words) & d.claimed:
            continue
        if phrase.noun in FLOOR_HAZARDS:
            continue
        tag = d.unique_tag(phrase.tag)
        beyond = _beyond(d)
        if phrase.noun in PLACE_WORDS or d.layout is not None:
            size = 3.0 if d.layout is None else 2.0
            centre = (
                (d.half - size / 2 - 1.0, d.half - size / 2 - 1.0)
                if d.layout is not None
                else ((0.0, d.half - 3.0) if beyond else (d.half / 2, d.half / 2))
            )
            d.regions.append(Region(tag, RegionKind.GOAL, centre, (size, size), tag=tag))
            part = f"arena.regions.{tag} (goal region {size:g}x{size:g})"
            fixed = "at a fixed place: regions do not move between episodes"
        else:
            spawn = Spawn(area=((-d.half + 1, 3.0), (d.half - 1, d.half - 1))) if beyond else Spawn()
            d.entities.append(Entity(name=tag, kind=EntityKind.TARGET, tag=tag, spawn=spawn))
            part = f"entities.{tag} (target, placed anew each episode)"
            fixed = ""
        scope = Scope.GROUP if d.agent_count > 1 else Scope.AGENT
        d.rewards.append(
            RewardEvent(EventKind.REACH, 1.0, what=tag, end=EndKind.TERMINATED, success=True, scope=scope)
        )
        d.note(source, "reach", f"{part}; rewards: reach {tag} +1, ends, success", fixed)
        stop = re.search(r"\b(stop|stay|wait|park) (there|in it|inside)\b", d.text)
        if stop:
            d.note(
                stop.group(0),
                "stop there",
                f"rewards: reach {tag} ends the episode",
                "approximated: the episode ends on arrival; the IR has no 'stand still' condition",
            )
        d.seek.append(tag)
        d.claimed |= set(phrase.words)
        d.hurry = True
        return


def _edges(d: Draft) -> None:
    match = re.search(r"\b(fall\w* off|off the (?:edge|platform|cliff|side)|edges?)\b", d.text)
    if not match:
        return
    d.open_arena = True
    d.rewards.append(RewardEvent(EventKind.FALL, -1.0, end=EndKind.TERMINATED))
    d.note(match.group(0), "fall", "arena.walls null (an open platform); rewards: fall -1, ends the episode")


def _far_side(d: Draft) -> None:
    match = re.search(r"\b(?:to|reach|get to) the other side\b|\bcross(?:es|ing)? (?:the )?(\w+)", d.text)
    if not match or any(r.success for r in d.rewards):
        return
    h = d.half
    d.regions.append(Region("far_side", RegionKind.GOAL, (0.0, h - 1.5), (d.arena_side, 3.0), tag="far_side"))
    d.agent_spawn = Spawn(area=((-h + 1.0, -h + 0.5), (h - 1.0, -h + 2.5)))
    d.rewards.append(RewardEvent(EventKind.REACH, 1.0, what="far_side", end=EndKind.TERMINATED, success=True))
    d.note(
        match.group(0),
        "cross",
        "arena.regions.far_side (a strip at the far end; the agent starts at the "
        "near end); rewards: reach far_side +1, ends, success",
    )
    d.seek.append("far_side")
    d.hurry = True


def _arena_size(d: Draft) -> None:
    match = re.search(
        r"\b(\d+) ?(?:by|x) ?(\d+)(?: meters?| metres?| units?| m)? (?:arena|room|field|area|floor)\b", d.text
    )
    if not match or match.group(1) != match.group(2) or not 5 <= int(match.group(1)) <= 100:
        return  # a non-square or out-of-range size stays in the 'not interpreted' record
    d.arena_side = float(match.group(1))
    d.note(match.group(0), "arena size", f"arena.size [{d.arena_side:g}, {d.arena_side:g}]")


def _time_limit(d: Draft) -> None:
    match = re.search(r"\b(?:in|within|under) (?:less than |at most |under )?(\d+|[a-z]+) seconds?\b", d.text)
    if not match:
        return
    raw = match.group(1)
    seconds = int(raw) if raw.isdigit() else NUMBERS.get(raw)
    if seconds is None:
        return
    # A physics step is 0.02 s (Time.fixedDeltaTime): MaxStep = seconds * 50.
    d.max_step = max(50, min(seconds * 50, 100_000))
    d.hurry = True
    d.note(match.group(0), "time limit", f"max_step {d.max_step} (physics steps of 0.02 s)")


def _beyond(d: Draft) -> bool:
    """Whether the goal lies behind something across the arena (a jump wall or a door)."""
    return d.jump or any(e.kind is EntityKind.DOOR for e in d.entities)


CONCEPTS = (
    _arena_size,
    _team,
    _maze,
    _push,
    _collect,
    _follow,
    _avoid,
    _around,
    _edges,
    _switch,
    _cue,
    _chaser,
    _evader,
    _jump,
    _target,
    _far_side,
    _time_limit,
)
"""Concept readers in order: each reads the text and adds to the draft what it finds."""
