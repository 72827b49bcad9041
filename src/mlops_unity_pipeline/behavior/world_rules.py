"""The offline world interpreter: a description's meaning (roles, goals, what to avoid) becomes a ``World``.

Unlike the archetype rules (``rules.py``: one keyword picks one of three fixed tasks), this reads what the
sentence says about the scene: *what* the agent acts on (the noun phrase after a verb), in which *role*
(collect, avoid, push into, reach, chase, flee), and *how* the episode ends. Each recognised phrase becomes
entities, regions, rewards and sensors of a world (``world.model``), and an ``ExplainRecord`` says so.

What the IR cannot express is refused with the missing concept and the nearest expressible behavior
(``REFUSALS``), never mapped onto something else. The asset's ``observation_space`` and ``action_space`` are
honoured exactly (sizes and kinds) or refused with the reason (``SpecError`` naming the field), and every
reward's tag must be perceivable by some sensor (a reward on something the agent cannot sense is refused).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..errors import SpecError
from ..world.model import (
    Actions,
    Actor,
    ActorBehavior,
    Agent,
    Arena,
    Body,
    Branch,
    ContinuousAction,
    DiscreteAction,
    EndKind,
    Entity,
    EntityKind,
    EventKind,
    Groups,
    Layout,
    LayoutKind,
    Motion,
    Movement,
    RaySensor,
    Region,
    RegionKind,
    RewardEvent,
    Scope,
    Sensor,
    Shape,
    Spawn,
    VectorItem,
    VectorItemKind,
    VectorSensor,
    Walls,
    World,
)
from ..world.validate import validate
from .asset import AssetView
from .world_records import ExplainRecord, Refusal, WorldInterpretation

# --- vocabulary ---------------------------------------------------------------------------------------------

REFUSALS: tuple[tuple[str, str, str], ...] = (
    (
        r"\b(balanc\w*|tilt\w*|upright)\b",
        "balancing a loose body on a tilting platform (the agent would be the platform)",
        "the balance archetype (3DBall) of the archetype interpreter, or 'reach the target'",
    ),
    (
        r"\b(deliver\w*|drop\w* (?:it |them |\w+ )?off|carr(?:y|ies|ying)|bring\w*|fetch\w*|hand over)\b",
        "carrying an object (pick it up, hold it, put it down elsewhere)",
        "'collect the item' or 'push the block into the zone'",
    ),
    (
        r"\b(follow\w* (?!(?:the |a )?(?:path|road|corridor|line|trail|route|track|way|signs?|arrows?)\b)\w+"
        r"|stay close|keep close|escort\w*|accompan\w*|keep (?:a |its )?distance)\b",
        "a reward for staying within a distance of a moving thing (following)",
        "'chase the fleeing X and tag it' (reach a moving actor) or 'avoid the X'",
    ),
    (
        r"\b(herd\w*|shepherd\w*|round up)\b",
        "steering other creatures by approaching them (herding)",
        "'push the block into the goal zone'",
    ),
    (
        r"\b(shoot\w*|throw\w*|fire at|launch\w*|kick\w*)\b",
        "projectiles (shooting, throwing, kicking)",
        "'reach the target' or 'push the block into the zone'",
    ),
    (
        r"\b(fly|flies|flying|swim\w*|dive|diving|climb\w*)\b",
        "flight, swimming or climbing (agents move on the floor and may jump)",
        "'jump over the wall to reach the target'",
    ),
    (
        r"\b(stack\w*|build(?:s)? (?:a|an|the) \w+|assembl\w*|craft\w*)\b",
        "stacking or building (bodies on top of each other)",
        "'push the block into the zone'",
    ),
    (
        r"\b(talk\w*|speak\w*|say|sing\w*|dance\w*)\b",
        "speech, song or dance (no such actions)",
        "'reach the target'",
    ),
)
"""(pattern, missing concept, nearest expressible behavior): refused before anything is composed."""

WRITING = r"\b(write|writes|writing|sonnet|poem|essay|story|haiku|song|translate|summari[sz]e|email)\b"
NOTHING_NEAREST = "'reach the target', 'collect the coins and avoid the lava', 'push the box into the goal'"

STOP = frozenset(
    "and or then on in into onto to at of from while with without that which as around behind before after "
    "by for so but until when where is are it them there its their across over under near scattered lying "
    "placed "
    "hidden spread located found everywhere whose who .".split()
)
DETERMINERS = frozenset(
    "the a an every all each any some this that those these his her its their your".split()
)
PLACE_WORDS = frozenset(
    "area zone space spot pad tile tiles square region place floor marker mark patch field cell".split()
)
"""Generic place nouns: the word before them names the place (``parking space`` -> ``parking``)."""
ING_NOUNS = frozenset(
    "building ring string king wing thing ceiling painting opening landing clearing crossing".split()
)
"""Nouns ending in -ing (not participles)."""
IE_PLURALS = frozenset("zombies cookies movies pies ties goalies brownies hoodies".split())
"""Plurals of nouns ending in 'ie' (the 'ies' -> 'y' rule would break them)."""
POINT_WORDS = frozenset("position location point destination object thing".split())
"""Generic nouns of a target: the word before them names it (``target position`` -> target)."""
MOVING_WORDS = frozenset("moving driving rolling patrolling walking passing speeding flying".split())
"""Adjectives that make a hazard a moving (patrolling) actor."""
OBSTACLE_WORDS = frozenset("obstacle barrier pillar rock tree boulder crate box cone column post".split())
"""Nouns of solid things in the way (``navigate around obstacles``)."""
FLOOR_HAZARDS = frozenset("lava acid water pit pits mud tar fire poison spikes hole holes".split())
"""Nouns of dangers lying on the floor: hazard regions rather than objects."""
NON_TARGETS = frozenset("way end other side level arena room map world scene one ones it them you".split())
RESERVED_TAGS = frozenset({"wall", "ground", "agent"})
NUMBERS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "a few": 3,
    "several": 5,
    "many": 10,
}
MANY_DEFAULT = 6
"""Copies when the text says 'every', 'all', 'scattered' or a plural without a number."""
COLOURS = ("red", "green", "blue", "yellow", "orange", "purple", "white", "black")

MAX_DESCRIPTION = 2000
"""Characters of a description the interpreter reads (inputs are bounded)."""
ARENA_SIDE = 20.0
"""Default arena side (ReachTarget's)."""
MAX_STEP_NAV = 2500
MAX_STEP_HARD = 5000
"""Pushing, mazes and switches need longer episodes (PushBlock's MaxStep)."""

# --- phrase parsing -----------------------------------------------------------------------------------------


def normalize(description: str) -> str:
    """Lower-case words separated by single spaces, British spellings folded (``colour`` -> ``color``)."""
    # Punctuation stays as one '.' token: a noun phrase never runs across it.
    tokens = re.findall(r"[a-z0-9']+|[,.;:!?()]", description.lower())
    text = " ".join(t if t[0].isalnum() or t == "'" else "." for t in tokens)
    return text.replace("colour", "color").replace("don't", "do not")


@dataclass(frozen=True)
class Phrase:
    """A noun phrase: its words, the head noun (singular) and the adjectives before it."""

    words: tuple[str, ...]
    """The phrase's words without determiners."""
    noun: str
    """The head noun, singular."""
    adjectives: tuple[str, ...]
    """Words before the head noun."""

    @property
    def text(self) -> str:
        """The phrase as written (without determiners)."""
        return " ".join(self.words)

    @property
    def tag(self) -> str:
        """A tag for it: the noun, or the word before a generic place noun (``parking space`` -> parking)."""
        generic = self.noun in PLACE_WORDS or self.noun in POINT_WORDS
        base = self.adjectives[-1] if generic and self.adjectives else self.noun
        base = re.sub(r"[^a-z0-9_]", "", base)[:24] or "thing"
        return f"low_{base}" if base in RESERVED_TAGS else base


def singular(word: str) -> str:
    """Return a plural noun's singular (``apples`` -> ``apple``, ``boxes`` -> ``box``)."""
    if word in IE_PLURALS:
        return word[:-1]
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("xes", "ches", "shes", "sses")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3:
        return word[:-1]
    return word


def noun_phrase(rest: str, limit: int = 4) -> Phrase | None:
    """Read the noun phrase at the start of ``rest`` (up to ``limit`` words, ending before a stop word)."""
    words: list[str] = []
    for word in rest.split():
        if word in DETERMINERS and not words:
            continue
        adverb = word.endswith("ly") and len(word) > 4
        # A participle after the noun starts a clause ("the flag waving"), unless it is a noun itself.
        participle = bool(words) and word.endswith("ing") and word not in ING_NOUNS
        if word in STOP or adverb or participle or word.isdigit() or word in NUMBERS or len(words) >= limit:
            if words or not (word in NUMBERS or word.isdigit()):
                break
            continue
        words.append(word)
    if not words:
        return None
    return Phrase(tuple(words), singular(words[-1]), tuple(words[:-1]))


def span(match: re.Match[str], phrase: Phrase) -> str:
    """Return the words of ``match`` up to the end of ``phrase`` (its noun phrase): what the record cites."""
    rest = match.group("rest").split()
    head = match.group(0)[: match.start("rest") - match.start(0)].strip()
    last = rest.index(phrase.words[-1]) if phrase.words[-1] in rest else len(rest) - 1
    return " ".join([head, *rest[: last + 1]])


def count_before(text: str, at: int) -> int | None:
    """Return a number written just before position ``at`` (``five coins``, ``3 apples``), if any."""
    before = text[:at].split()[-3:]
    for word in reversed(before):
        if word.isdigit():
            return int(word)
        if word in NUMBERS:
            return NUMBERS[word]
    return None


# --- the draft ----------------------------------------------------------------------------------------------


@dataclass
class _Draft:
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
        self.records.append(ExplainRecord(source, concept, part, note))

    def tags(self) -> set[str]:
        return {e.tag or e.kind.value for e in self.entities} | {r.tag for r in self.regions if r.tag}

    def unique_tag(self, tag: str) -> str:
        taken = self.tags() | RESERVED_TAGS
        out, n = tag, 2
        while out in taken:
            out, n = f"{tag}{n}", n + 1
        return out

    @property
    def half(self) -> float:
        return self.arena_side / 2.0


# --- concepts -----------------------------------------------------------------------------------------------


def _refusal(text: str) -> Refusal | None:
    for pattern, missing, nearest in REFUSALS:
        match = re.search(pattern, text)
        if match:
            return Refusal(missing, nearest, match.group(0))
    return None


def _team(d: _Draft) -> None:
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


def _maze(d: _Draft) -> None:
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


def _push(d: _Draft) -> None:
    match = re.search(r"\b(?:push|shove|nudge|slide|roll|guide|move|get)\w* (?P<rest>.*)", d.text)
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


def _collect(d: _Draft) -> None:
    for match in re.finditer(
        r"\b(collect\w*|pick\w* up|gather\w*|grab\w*|eat\w*|harvest\w*)\b (?P<rest>.*)", d.text
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


def _avoid(d: _Draft) -> None:
    pattern = (
        r"\b(avoid\w*|dodg\w*|stay away from|keep off|keep away from|without (?:stepping on|touching|"
        r"hitting|bumping into|falling into|entering)|do not (?:touch|step on|hit))\b (?P<rest>.*)"
    )
    for match in re.finditer(pattern, d.text):
        phrase = noun_phrase(match.group("rest"))
        if phrase is None:
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


def _obstacles(d: _Draft, source: str, phrase: Phrase) -> None:
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


def _around(d: _Draft) -> None:
    match = re.search(r"\b(?:around|past|between|through|among) (?P<rest>.*)", d.text)
    phrase = noun_phrase(match.group("rest")) if match else None
    if match is None or phrase is None or phrase.noun not in OBSTACLE_WORDS or phrase.noun in d.claimed:
        return
    _obstacles(d, span(match, phrase), phrase)


def _switch(d: _Draft) -> None:
    plate = re.search(
        r"\b(?:(?:step|stand|press|push|pull|hit|touch)\w* (?:on )?(?:the |a )?)?"
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
    d.extra_vector.append(VectorItem(VectorItemKind.POSITION))


def _cue(d: _Draft) -> None:
    cue = re.search(
        r"\b(?:(?:look|glance)\w* at (?:the |a )?)?(sign|signal|cue|light|symbol|banner|poster)\b", d.text
    )
    same = re.search(r"\b(same color|matching|match(?:es)?|the color of|indicated)\b", d.text)
    if not cue or not same:
        return
    choice = re.search(r"\b(?:touch|reach|go to|pick|choose|select)\w* (?P<rest>.*)", d.text)
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


def _chaser(d: _Draft) -> None:
    match = re.search(
        r"\b(?:a|an|the) (?P<np>(?:\w+ ){0,2}?\w+) (?:chases|hunts|pursues|follows|attacks) "
        r"(?:you|the agent|it)\b",
        d.text,
    )
    if not match:
        match = re.search(
            r"\b(?:escape|flee|run away|get away|hide|evade|avoid being caught by|stay away from|"
            r"keep away from)(?: from)? (?P<np>(?:the |a |an )?(?:\w+ ){0,2}?"
            r"(?:zombie|ghost|monster|hunter|predator|enemy|enemies|"
            r"wolf|wolves|guard|chaser|robot|cat|dog|bear)s?)\b",
            d.text,
        )
    if not match:
        return
    phrase = noun_phrase(match.group("np"))
    if phrase is None:
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


def _evader(d: _Draft) -> None:
    match = re.search(r"\b(?:chase|catch|tag|hunt down|capture|pursue|corner)\b (?P<rest>.*)", d.text)
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


def _jump(d: _Draft) -> None:
    match = re.search(r"\b(?:jump|hop|leap|vault)\w* (?:over|across|onto|past) (?P<rest>.*)", d.text)
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
        f"entities.{tag} (obstacle 1.5 high across the arena); agent.movement.jump_speed 8; a jump action",
    )
    d.solid.append(tag)
    d.claimed |= set(phrase.words)


TARGET_VERBS = (
    r"\b(?:reach\w*|get to|touch\w*|find|arrive at|enter|visit|(?:go|goes|drive|walk|run|move|head|park|"
    r"navigate|travel|step|roll|fly)\w* (?:in|into|to|towards|onto|through the \w+ to)"
    r"|(?:park|drive|steer)\w* (?:the |your )?(?:car|vehicle|truck|kart|robot) (?:in|into|to|onto))\b"
    r" (?P<rest>.*)"
)


def _target(d: _Draft) -> None:
    found: list[tuple[str, Phrase]] = []
    for match in re.finditer(TARGET_VERBS, d.text):
        phrase = noun_phrase(match.group("rest"))
        if phrase is not None:
            found.append((span(match, phrase), phrase))
    for match in re.finditer(r"\bto (?:the|a|an) (?P<rest>.*)", d.text):  # "... then go to the flag"
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


def _edges(d: _Draft) -> None:
    match = re.search(r"\b(fall\w* off|off the (?:edge|platform|cliff|side)|edges?)\b", d.text)
    if not match:
        return
    d.open_arena = True
    d.rewards.append(RewardEvent(EventKind.FALL, -1.0, end=EndKind.TERMINATED))
    d.note(match.group(0), "fall", "arena.walls null (an open platform); rewards: fall -1, ends the episode")


def _far_side(d: _Draft) -> None:
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


def _beyond(d: _Draft) -> bool:
    """Whether the goal lies behind something across the arena (a jump wall or a door)."""
    return d.jump or any(e.kind is EntityKind.DOOR for e in d.entities)


CONCEPTS = (
    _team,
    _maze,
    _push,
    _collect,
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
)
"""Concept readers in order: each reads the text and adds to the draft what it finds."""

# --- spaces -------------------------------------------------------------------------------------------------

OBSERVATION_KEYS: dict[str, VectorItemKind | None] = {
    "raycast": None,
    "raycasts": None,
    "rays": None,
    "ray": None,
    "lidar": None,
    "ray_perception": None,
    "velocity": VectorItemKind.VELOCITY,
    "vel": VectorItemKind.VELOCITY,
    "speed": VectorItemKind.VELOCITY,
    "position": VectorItemKind.POSITION,
    "pos": VectorItemKind.POSITION,
    "agent_position": VectorItemKind.POSITION,
    "heading": VectorItemKind.HEADING,
    "rotation": VectorItemKind.HEADING,
    "target_direction": VectorItemKind.DIRECTION_TO,
    "target_dir": VectorItemKind.DIRECTION_TO,
    "goal_direction": VectorItemKind.DIRECTION_TO,
    "direction_to_target": VectorItemKind.DIRECTION_TO,
    "target": VectorItemKind.DIRECTION_TO,
    "goal": VectorItemKind.DIRECTION_TO,
    "target_distance": VectorItemKind.DISTANCE_TO,
    "distance_to_target": VectorItemKind.DISTANCE_TO,
    "distance": VectorItemKind.DISTANCE_TO,
    "goal_distance": VectorItemKind.DISTANCE_TO,
    "step_fraction": VectorItemKind.STEP_FRACTION,
    "time": VectorItemKind.STEP_FRACTION,
}
"""``observation_space`` keys users write -> vector items (None: a ray perception sensor)."""
ITEM_SIZES = {
    VectorItemKind.VELOCITY: 2,
    VectorItemKind.POSITION: 2,
    VectorItemKind.HEADING: 2,
    VectorItemKind.DIRECTION_TO: 2,
    VectorItemKind.DISTANCE_TO: 1,
    VectorItemKind.STEP_FRACTION: 1,
}


def _ray_tags(d: _Draft) -> list[str]:
    return list(dict.fromkeys([*d.seek, *d.avoid, *d.solid, "wall"]))


def _default_sensors(d: _Draft) -> tuple[Sensor, ...]:
    items = [VectorItem(VectorItemKind.VELOCITY)]
    items += [VectorItem(VectorItemKind.DIRECTION_TO, t) for t in dict.fromkeys(d.seek + d.avoid)]
    items += d.extra_vector
    sensors: list[Sensor] = [VectorSensor("VectorSensor", tuple(items))]
    d.note(
        "(default)",
        "sensor",
        f"agent.sensors VectorSensor: velocity, direction to {', '.join(dict.fromkeys(d.seek + d.avoid))}"
        + "".join(f", {i.item.value}" + (f" of {i.of}" if i.of else "") for i in d.extra_vector),
        "no observation_space: the agent observes the direction of everything its rewards depend on",
    )
    if d.solid or d.layout is not None or any(e.kind is EntityKind.HAZARD for e in d.entities):
        tags = tuple(_ray_tags(d))
        sensors.append(
            RaySensor("RayPerceptionSensor", tags, rays_per_direction=3, max_ray_degrees=90, ray_length=12.0)
        )
        d.note(
            "(default)",
            "sensor",
            f"agent.sensors RayPerceptionSensor: 7 rays over 180 degrees seeing {list(tags)}",
            "obstacles, walls and hazards block or end the way: rays see them",
        )
    return tuple(sensors)


def _user_sensors(d: _Draft, space: Mapping[str, Any], where: str) -> tuple[Sensor, ...]:
    if not space:
        raise SpecError(
            f"{where}: observation_space is empty (give observation names and sizes or leave it out)"
        )
    items: list[VectorItem] = []
    rays: RaySensor | None = None
    for key, size in space.items():
        name = str(key).lower()
        if name not in OBSERVATION_KEYS:
            raise SpecError(
                f"{where}: observation_space key '{key}' is unknown (expected one of "
                f"{sorted(OBSERVATION_KEYS)})"
            )
        if isinstance(size, bool) or not isinstance(size, int) or size < 1:
            raise SpecError(f"{where}: observation_space['{key}'] must be a positive integer, got {size!r}")
        kind = OBSERVATION_KEYS[name]
        if kind is None:
            if rays is not None:
                raise SpecError(f"{where}: observation_space names rays twice ('{key}')")
            rays = _fit_rays(d, size, f"{where}: observation_space['{key}']")
            d.note(
                f"observation_space {key}: {size}",
                "sensor",
                f"agent.sensors RayPerceptionSensor: {2 * rays.rays_per_direction + 1} rays x "
                f"{len(rays.detectable_tags)} tags {list(rays.detectable_tags)} + 2 = {size} floats",
                "ML-Agents' ray perception encodes (tags + 2) floats per ray",
            )
            continue
        if size != ITEM_SIZES[kind]:
            raise SpecError(
                f"{where}: observation_space['{key}'] = {size}, but {kind.value} is "
                f"{ITEM_SIZES[kind]} float(s) in the x-z plane the agent moves in"
            )
        of = None
        if kind in (VectorItemKind.DIRECTION_TO, VectorItemKind.DISTANCE_TO):
            if not d.seek:
                raise SpecError(
                    f"{where}: observation_space['{key}'] points at a target, but the description "
                    "names nothing to reach"
                )
            of = d.seek[-1] if d.push else d.seek[0]
        items.append(VectorItem(kind, of))
        d.note(
            f"observation_space {key}: {size}",
            "sensor",
            f"VectorSensor item {kind.value}" + (f" of {of}" if of else ""),
        )
    sensors: list[Sensor] = [] if rays is None else [rays]
    if items:
        sensors.append(VectorSensor("VectorSensor", tuple(items)))
    return tuple(sensors)


def _fit_rays(d: _Draft, size: int, where: str) -> RaySensor:
    """Return a ray sensor of exactly ``size`` floats: ``(tags + 2) * (2 r + 1)`` with the world's tags."""
    tags = _ray_tags(d)
    per_ray = len(tags) + 2
    rays = size // per_ray
    if size % per_ray or rays % 2 == 0:
        possible = ", ".join(str(per_ray * (2 * r + 1)) for r in range(0, 5))
        raise SpecError(
            f"{where} = {size} floats cannot be a ray perception sensor seeing {tags}: it gives "
            "(tags + 2) x rays "
            f"floats with an odd number of rays ({possible}, ...)"
        )
    return RaySensor(
        "RayPerceptionSensor",
        tuple(tags),
        rays_per_direction=(rays - 1) // 2,
        max_ray_degrees=70.0 if rays > 1 else 0.0,
        ray_length=20.0,
    )


MOVE_5 = (
    DiscreteAction.NONE,
    DiscreteAction.NORTH,
    DiscreteAction.SOUTH,
    DiscreteAction.EAST,
    DiscreteAction.WEST,
)
MOVE_4 = (DiscreteAction.NORTH, DiscreteAction.SOUTH, DiscreteAction.EAST, DiscreteAction.WEST)
MOVE_3 = (DiscreteAction.FORWARD, DiscreteAction.TURN_LEFT, DiscreteAction.TURN_RIGHT)
MOVE_7 = (
    DiscreteAction.NONE,
    DiscreteAction.FORWARD,
    DiscreteAction.BACK,
    DiscreteAction.TURN_RIGHT,
    DiscreteAction.TURN_LEFT,
    DiscreteAction.STRAFE_LEFT,
    DiscreteAction.STRAFE_RIGHT,
)
DISCRETE_MOVES = {3: MOVE_3, 4: MOVE_4, 5: MOVE_5, 7: MOVE_7}
"""Branch sizes a moving agent's first branch may have, and what each index does."""


def _actions(d: _Draft, space: Mapping[str, Any] | None, where: str) -> Actions:
    C = ContinuousAction
    if space is None:
        moves = (C.FORWARD, C.ROTATE) if d.drive else (C.MOVE_X, C.MOVE_Z)
        chosen = (*moves, C.JUMP) if d.jump else moves
        d.note(
            "(default)",
            "actions",
            f"agent.actions.continuous {[c.value for c in chosen]}",
            "no action_space: "
            + ("drive: forward and turn" if d.drive else "move along x and z")
            + ("; jump implied by the description" if d.jump else ""),
        )
        return Actions(continuous=chosen)
    unknown = sorted(set(space) - {"type", "size", "branches"})
    if unknown:
        raise SpecError(
            f"{where}: action_space key '{unknown[0]}' is unknown (expected type, size, branches)"
        )
    kind = str(space.get("type", "")).lower()
    if kind == "continuous":
        if "branches" in space:
            raise SpecError(f"{where}: action_space of type continuous has no 'branches'")
        size = space.get("size")
        layouts = {
            2: (C.FORWARD, C.ROTATE) if d.drive else (C.MOVE_X, C.MOVE_Z),
            3: (C.MOVE_X, C.MOVE_Z, C.JUMP) if d.jump else (C.FORWARD, C.STRAFE, C.ROTATE),
            4: (C.FORWARD, C.STRAFE, C.ROTATE, C.JUMP) if d.jump else None,
        }
        chosen = layouts.get(size) if isinstance(size, int) and not isinstance(size, bool) else None
        if chosen is None or (d.jump and C.JUMP not in chosen):
            need = (
                "3 (move x, move z, jump) or 4" if d.jump else "2 (move x and z, or forward and turn), or 3"
            )
            raise SpecError(
                f"{where}: action_space continuous size {size!r} cannot move this agent "
                f"(the description needs size {need})"
            )
        d.note(
            f"action_space continuous {size}",
            "actions",
            f"agent.actions.continuous {[c.value for c in chosen]}",
        )
        return Actions(continuous=chosen)
    if kind == "discrete":
        branches = space.get("branches", [space["size"]] if "size" in space else None)
        if (
            not isinstance(branches, (list, tuple))
            or not branches
            or not all(isinstance(b, int) and not isinstance(b, bool) for b in branches)
        ):
            raise SpecError(
                f"{where}: action_space discrete needs branches, a list of sizes, got {branches!r}"
            )
        first = DISCRETE_MOVES.get(branches[0])
        if first is None:
            raise SpecError(
                f"{where}: action_space discrete branch 0 of {branches[0]} choices cannot move the agent "
                f"(accepted: {sorted(DISCRETE_MOVES)}: 5 = none, north, south, east, west)"
            )
        out = [Branch(first)]
        if len(branches) > 2 or (len(branches) == 2 and (branches[1] != 2 or not d.jump)):
            raise SpecError(
                f"{where}: action_space discrete {list(branches)}: a second branch is only for jumping "
                "(2: none, jump) when the description jumps"
            )
        if d.jump:
            if len(branches) != 2:
                raise SpecError(
                    f"{where}: the description jumps: action_space needs a second branch of 2 "
                    f"(none, jump), e.g. branches [{branches[0]}, 2]"
                )
            out.append(Branch((DiscreteAction.NONE, DiscreteAction.JUMP)))
        d.note(
            f"action_space discrete {list(branches)}",
            "actions",
            "agent.actions.discrete " + "; ".join(str([c.value for c in b.choices]) for b in out),
        )
        return Actions(discrete=tuple(out))
    raise SpecError(
        f"{where}: action_space type must be 'continuous' or 'discrete', got {space.get('type')!r}"
    )


# --- composition --------------------------------------------------------------------------------------------


def interpret_world(asset: Any) -> WorldInterpretation:
    """Compose a world from an asset's description and spaces, or refuse it with the missing concept.

    Args:
        asset: a ``UnityAssetSpec``, ``AssetView`` or mapping with the asset fields.

    Returns:
        The interpretation: a validated world and the records of how it was made, or the refusal.

    Raises:
        SpecError: the asset's ``observation_space``/``action_space`` cannot be honoured exactly (the
            message names the field and what would work), a name is not usable, or a sensor cannot perceive
            what a reward depends on.

    """
    view = AssetView.of(asset)
    where = f"asset '{view.asset_id}'"
    if view.asset_type != "behavior":
        raise SpecError(
            f"{where}: asset_type '{view.asset_type}' cannot become a world (expected 'behavior')"
        )
    if len(view.description) > MAX_DESCRIPTION:
        raise SpecError(
            f"{where}: description is {len(view.description)} characters; at most {MAX_DESCRIPTION} "
            "(describe one behavior in a few sentences)"
        )
    text = normalize(view.description)
    refusal = _refusal(text)
    if refusal is not None:
        return WorldInterpretation(
            view.name, None, refusal, (ExplainRecord(refusal.source, "refused", "-", refusal.message),)
        )
    d = _Draft(text)
    d.drive = bool(re.search(r"\b(driv\w*|car|vehicle|steer\w*|park\w*)\b", text))
    for concept in CONCEPTS:
        concept(d)
    if not d.rewards:
        writing = re.search(WRITING, text)
        missing = (
            f"a behavior: the text asks for writing ('{writing.group(0)}'), not for something an agent does"
            if writing
            else "a behavior: the description names nothing to reach, collect, push, avoid or chase"
        )
        refusal = Refusal(missing, NOTHING_NEAREST)
        return WorldInterpretation(
            view.name, None, refusal, (ExplainRecord(view.description[:60], "refused", "-", refusal.message),)
        )
    if d.hurry and not d.survive:
        d.rewards.append(RewardEvent(EventKind.TIME_PENALTY, -1.0))
        d.note(
            "(default)",
            "time penalty",
            "rewards: time_penalty -1 over max_step",
            "ML-Agents' AddReward(-1f / MaxStep) idiom: reaching the goal sooner is better",
        )
    _leftovers(d)
    world = _assemble(d, view, where)
    return WorldInterpretation(view.name, world, None, tuple(d.records), tuple(_unsupported(world)))


FUNCTION_WORDS = frozenset(
    "the a an and or then to of in on at is are be must should will can could would you your it its as so "
    "possible long quickly fast agent try while not do does every all each same other side also just field "
    "room "
    "arena level map world scene ground floor corridor start beginning end way".split()
)


def _leftovers(d: _Draft) -> None:
    """Record the description's words no concept used, so nothing is dropped without saying so."""
    used = {w for r in d.records for w in normalize(r.source).split()}
    left = [
        w
        for w in dict.fromkeys(d.text.split())
        if w not in used
        and w not in FUNCTION_WORDS
        and w not in STOP
        and w not in DETERMINERS
        and len(w) > 2
        and w.isalpha()
    ]
    if left:
        d.note(" ".join(left), "not interpreted", "-", "these words did not change the world")


def compose_world(asset: Any) -> World:
    """Return the world of ``asset`` (``interpret_world``), raising ``DescriptionRefused`` when refused.

    Args:
        asset: the asset.

    Returns:
        The validated world.

    Raises:
        DescriptionRefused: the description asks for something the world IR cannot express.
        SpecError: the asset's spaces cannot be honoured.

    """
    result = interpret_world(asset)
    if result.refusal is not None:
        raise result.refusal.error(f"asset '{AssetView.of(asset).asset_id}'")
    assert result.world is not None
    return result.world


def _behavior_name(view: AssetView) -> str:
    name = "".join(p[:1].upper() + p[1:] for p in re.findall(r"[A-Za-z0-9]+", view.name)).lstrip("0123456789")
    if not name:
        raise SpecError(
            f"asset '{view.asset_id}': name {view.name!r} has no letters to make a behavior name from"
        )
    return name[:64]


def _assemble(d: _Draft, view: AssetView, where: str) -> World:
    sensors = (
        _default_sensors(d)
        if view.observation_space is None
        else _user_sensors(d, view.observation_space, where)
    )
    actions = _actions(d, view.action_space, where)
    push_physics = d.push
    movement = (
        Movement(Motion.VELOCITY_CHANGE, speed=3.0, strafe_scale=0.75)
        if push_physics
        else Movement(Motion.SET_VELOCITY, speed=5.0)
    )
    if d.jump:
        movement = Movement(movement.motion, movement.speed, jump_speed=8.0)
    agent = Agent(
        name=_behavior_name(view),
        count=d.agent_count,
        body=Body(mass=10.0, drag=4.0) if push_physics else Body(),
        movement=movement,
        spawn=d.agent_spawn,
        yaw=None if actions.continuous[:1] == (ContinuousAction.FORWARD,) or d.drive else 0.0,
        sensors=sensors,
        actions=actions,
    )
    world = World(
        name=agent.name,
        description=" ".join(view.description.split())[:500],
        arena=Arena(
            (d.arena_side, d.arena_side),
            walls=None if d.open_arena else Walls(),
            regions=tuple(d.regions),
            layout=d.layout,
        ),
        agent=agent,
        entities=tuple(d.entities),
        groups=Groups(d.agent_count) if d.agent_count > 1 else None,
        rewards=tuple(d.rewards),
        max_step=d.max_step,
    )
    _check_perception(world, where)
    try:
        return validate(world)
    except SpecError as exc:  # a composition bug or an impossible combination: say which description
        raise SpecError(f"{where}: the composed world is invalid: {exc}") from exc


def perceived_tags(world: World) -> set[str]:
    """Return the tags some sensor of the agent detects (rays, grids, direction/distance items, buffers)."""
    seen: set[str] = set()
    for sensor in world.agent.sensors:
        seen |= set(getattr(sensor, "detectable_tags", ()))
        if isinstance(sensor, VectorSensor):
            seen |= {i.of for i in sensor.items if i.of}
        if getattr(sensor, "of", None):
            seen.add(sensor.of)  # type: ignore[union-attr]  # buffer sensors
        if getattr(sensor, "KIND", None) is not None and sensor.KIND.value == "camera":
            seen |= {world.tag_of(e) for e in world.entities} | {r.tag for r in world.arena.regions if r.tag}
    return seen


def _check_perception(world: World, where: str) -> None:
    """Refuse a reward on a tag no sensor perceives (the agent could only find it by chance)."""
    seen = perceived_tags(world)
    for i, reward in enumerate(world.rewards):
        for tag in (reward.what, reward.into):
            if tag is not None and tag not in seen:
                raise SpecError(
                    f"{where}: rewards[{i}] ({reward.event.value} {tag}) depends on '{tag}', which no sensor "
                    f"perceives (sensors see {sorted(seen) or 'no tags'}): add target_direction: 2 or a "
                    "raycast item to observation_space, or leave observation_space out"
                )


def _unsupported(world: World) -> list[str]:
    from ..sim.world_env import unsupported  # the simulator imports numba lazily; keep interpretation light

    return unsupported(world)
