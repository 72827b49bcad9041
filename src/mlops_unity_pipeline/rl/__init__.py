"""Built-in trainer: ML-Agents configs (``rl.config``), PPO and SAC, ONNX export, mlagents-learn results.

Start with ``rl.learn.learn`` (what ``mlops-unity learn`` calls) and read ``rl/ppo.py`` top to bottom.
"""
