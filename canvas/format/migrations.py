"""Moving old session files to the current schema, one version step at a time.

Each step is a named function registered for the version it starts from; a step gets a deep
copy of the tree, so a failed migration never damages what was read. Schema version 1 is the
first published version. Each step's name says what the version changed.
"""

from __future__ import annotations

import copy
from collections.abc import Callable

from canvas.format.schema import SCHEMA_VERSION

Step = Callable[[dict], dict]


class MigrationError(ValueError):
    """A file that cannot be brought to the current version."""


class Migrations:
    """An ordered registry of one-step migrations, ``from_version -> from_version + 1``."""

    def __init__(self, current: int = SCHEMA_VERSION):
        self.current = current
        self._steps: dict[int, Step] = {}
        self._additive: set[int] = set()

    def step(self, from_version: int, *, additive: bool = False) -> Callable[[Step], Step]:
        """Register ``func`` as the migration from ``from_version``; duplicates are refused.

        An ``additive`` step only makes new, optional fields legal: a file of the old version
        is already valid in the new one, so the step may leave the tree as it is. Any other
        step that changes nothing is refused as a mistake.
        """

        def register(func: Step) -> Step:
            if from_version in self._steps:
                raise ValueError(f"a migration from version {from_version} exists already")
            if not 1 <= from_version < self.current:
                raise ValueError(f"no version {from_version + 1} to migrate to")
            self._steps[from_version] = func
            if additive:
                self._additive.add(from_version)
            return func

        return register

    def migrate(self, tree: dict) -> tuple[dict, list[str]]:
        """Return the tree at the current version and the names of the steps applied."""
        version: int = tree["schema_version"]  # checked by the header before migrating
        if version > self.current:
            raise MigrationError(
                f"schema_version {version} is newer than this program reads"
                f" (up to {self.current}); install a newer three-horizons-canvas"
                f" that reads version {version}"
            )
        applied = []
        while version < self.current:
            func = self._steps.get(version)
            if func is None:
                raise MigrationError(f"no migration from schema_version {version}")
            before = copy.deepcopy(tree)
            tree = func(copy.deepcopy(tree))
            if tree == before and version not in self._additive:
                raise MigrationError(f"the migration {func.__name__} changed nothing")
            version += 1
            tree["schema_version"] = version
            applied.append(func.__name__)
        return tree, applied


REGISTRY = Migrations()


@REGISTRY.step(1, additive=True)
def add_facilitation_and_ballots(tree: dict) -> dict:
    """Version 2 adds live-workshop state: the step, private writing, locking, dot-vote
    ballots per voter, and each note's owner, privacy and moderation flags. All are
    optional, so a version 1 file needs no change."""
    return tree


@REGISTRY.step(2, additive=True)
def add_comments_groups_and_welsh(tree: dict) -> dict:
    """Version 3 adds reviewers' comments, each note's breakout group, and Welsh titles,
    summaries and prompts beside the English ones. All are optional."""
    return tree


@REGISTRY.step(3, additive=True)
def add_comment_threads(tree: dict) -> dict:
    """Version 4 lets comments answer one another (``reply_to``) and lets the facilitator
    resolve a thread (``resolved``). Both are optional."""
    return tree
