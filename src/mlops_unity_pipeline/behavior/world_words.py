"""The world interpreter's vocabulary and phrase reading: refusals, word lists, noun phrases, numbers."""

from __future__ import annotations

import re
from dataclasses import dataclass

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
        r"\b(follow\w* (?:the |a |its |their )?(?:sound|music|noise|voice|smell|scent|odou?r)s?"
        r"|by (?:ear|smell|sound|scent))\b",
        "hearing or smell (agents sense by rays, directions, grids and cameras)",
        "'follow the guide robot' (a moving thing the agent sees) or 'reach the target'",
    ),
    (
        r"\b(imitat\w*|mimic\w*|copy\w* (?:the |its |their |his |her )?(?:moves|movements|motions?)|"
        r"mirror\w* (?:the |its |their |his |her )?(?:moves|movements|motions?))\b",
        "imitating another's movements (rewards depend on places and contacts, not on matching motions)",
        "'follow the guide robot and stay close to it'",
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
        r"\b(in (?:the right |the correct |this |that |a given )?order|one after (?:another|the other)"
        r"|in sequence)\b",
        "visiting goals in a given order (the IR has no sequence of goals)",
        "'reach the checkpoint' (one goal), or 'collect the checkpoints' (any order)",
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
VES_PLURALS = {
    "wolves": "wolf",
    "knives": "knife",
    "thieves": "thief",
    "elves": "elf",
    "shelves": "shelf",
    "leaves": "leaf",
    "halves": "half",
    "calves": "calf",
}
"""Plurals in -ves."""
IE_PLURALS = frozenset("zombies cookies movies pies ties goalies brownies hoodies".split())
"""Plurals of nouns ending in 'ie' (the 'ies' -> 'y' rule would break them)."""
POINT_WORDS = frozenset("position location point destination object thing".split())
"""Generic nouns of a target: the word before them names it (``target position`` -> target)."""
MOVING_WORDS = frozenset(
    "moving driving rolling patrolling walking passing speeding flying patrol wandering roaming".split()
)
"""Adjectives that make a hazard a moving (patrolling) actor."""
OBSTACLE_WORDS = frozenset("obstacle barrier pillar rock tree boulder crate box cone column post".split())
"""Nouns of solid things in the way (``navigate around obstacles``)."""
FLOOR_HAZARDS = frozenset("lava acid water pit pits mud tar fire poison spikes hole holes".split())
"""Nouns of dangers lying on the floor: hazard regions rather than objects."""
NON_TARGETS = frozenset("way end other side level arena room map world scene one ones it them you".split())
RESERVED_TAGS = frozenset({"wall", "ground", "agent"})
ROUTE_WORDS = frozenset(
    "path road corridor line trail route track way sign signs arrow arrows instruction instructions rule "
    "rules light lights".split()
)
"""Nouns one follows as a route, not as a moving thing ("follow the path to the goal" is a reach task)."""
PRONOUNS = frozenset("it him her them one".split())
"""Words that refer back to something named before ("stay close behind it")."""
NEAR_WITHIN = 3.0
"""Distance (centre to centre) within which an agent counts as close to what it follows, when not given:
a few body lengths (the agent is 1 unit wide), close enough to stay behind a guide without touching it."""
GUIDE_SPEED = 2.0
"""Speed of a guide actor: below the agent's 5 units/s, so it can catch up and keep pace."""
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
    "twelve": 12,
    "a few": 3,
    "several": 5,
    "many": 10,
}
"""Number words in descriptions (``five obstacles``, ``a few coins``), for rules.py and the world reader."""
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
    if word in VES_PLURALS:
        return VES_PLURALS[word]
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


FUNCTION_WORDS = frozenset(
    "the a an and or then to of in on at is are be must should will can could would you your it its as so "
    "possible long quickly fast agent try while not do does every all each same other side also just field "
    "room "
    "arena level map world scene ground floor corridor start beginning end way".split()
)
