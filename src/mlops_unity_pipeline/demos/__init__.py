"""Demonstrations in ML-Agents' ``.demo`` format: read, write, record from the simulator, make datasets."""

from __future__ import annotations

from .dataset import DemoDataset, to_dataset
from .model import DemoMeta, Demonstration, DemoStep
from .reader import demo_files, load_demonstrations, read_demo
from .writer import DemoWriter, write_demo

__all__ = [
    "DemoDataset",
    "DemoMeta",
    "DemoStep",
    "DemoWriter",
    "Demonstration",
    "demo_files",
    "load_demonstrations",
    "read_demo",
    "to_dataset",
    "write_demo",
]
