"""Simulated tasks: faithful ML-Agents examples (Basic, 3DBall) and the navigation archetype."""
