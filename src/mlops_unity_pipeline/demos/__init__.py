"""Demonstrations in ML-Agents' ``.demo`` format: read, write, record from the simulator, make datasets."""

from __future__ import annotations

from .model import DemoMeta, Demonstration, DemoStep
from .reader import demo_files, load_demonstrations, read_demo
from .writer import DemoWriter, write_demo

__all__ = [
    "DemoMeta",
    "DemoStep",
    "DemoWriter",
    "Demonstration",
    "demo_files",
    "load_demonstrations",
    "read_demo",
    "write_demo",
]
