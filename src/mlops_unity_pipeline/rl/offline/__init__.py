"""Learning from demonstrations: behavioral cloning, IQL offline RL, GAIL, and pretraining for fine-tuning.

Start with ``pretrain.pretrain`` (demonstrations -> a ``.pt`` checkpoint the PPO/SAC trainer loads as
``init_path``); ``bc.BCModule`` and ``gail.GAILRewardSignal`` are what the online trainers use for the
``behavioral_cloning`` and ``reward_signals.gail`` settings (``components.ImitationComponents``).
"""
