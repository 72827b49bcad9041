"""Side-channel bytes cross-checked with real mlagents_envs 1.1.0 (mlagents venv fixture, else skipped)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from mlops_unity_pipeline.bridge import side_channels as sc

SCRIPT = r"""
import json, sys
from mlagents_envs.side_channel.engine_configuration_channel import EngineConfigurationChannel
from mlagents_envs.side_channel.environment_parameters_channel import EnvironmentParametersChannel
from mlagents_envs.side_channel.stats_side_channel import StatsSideChannel
from mlagents_envs.side_channel.side_channel_manager import SideChannelManager

engine, params, stats = EngineConfigurationChannel(), EnvironmentParametersChannel(), StatsSideChannel()
manager = SideChannelManager([engine, params, stats])
engine.set_configuration_parameters(width=80, height=60, quality_level=1, time_scale=20.0,
                                    target_frame_rate=-1, capture_frame_rate=60)
params.set_float_parameter("mass", 2.5)
params.set_uniform_sampler_parameters("scale", 0.75, 3.0, 42)
params.set_gaussian_sampler_parameters("g", 1.0, 0.5, -1)
params.set_multirangeuniform_sampler_parameters("w", [[0.0, 1.0], [5.0, 6.0]], 3)
generated = bytes(manager.generate_side_channel_messages())
manager.process_side_channel_message(bytes.fromhex(sys.argv[1]))
received = {k: [[v, a.value] for v, a in vals] for k, vals in stats.get_and_reset_stats().items()}
print(json.dumps({"generated": generated.hex(), "stats": received}))
"""


def test_bytes_equal_mlagents_envs(mlagents_python: Path) -> None:
    """Our engine/parameter bytes equal mlagents_envs' and its StatsSideChannel decodes our stats."""
    stats = [
        sc.StatMessage("Env/Score", 1.5, sc.StatsAggregationMethod.AVERAGE),
        sc.StatMessage("Env/Score", 2.0, sc.StatsAggregationMethod.MOST_RECENT),
        sc.StatMessage("Env/Count", 3.0, sc.StatsAggregationMethod.SUM),
        sc.StatMessage("Env/Hist", 4.0, sc.StatsAggregationMethod.HISTOGRAM),
    ]
    our_stats = sc.frame_messages(sc.encode_stat(s) for s in stats)
    result = subprocess.run(
        [str(mlagents_python), "-c", SCRIPT, our_stats.hex()], capture_output=True, text=True, timeout=240
    )
    assert result.returncode == 0, result.stderr[-2000:]
    theirs = json.loads(result.stdout.strip().splitlines()[-1])

    ours = sc.encode_engine_configuration(
        sc.EngineConfigurationSettings(
            width=80, height=60, quality_level=1, time_scale=20.0, target_frame_rate=-1, capture_frame_rate=60
        )
    )
    ours += [
        sc.encode_environment_parameter(p)
        for p in (
            sc.FloatParameter("mass", 2.5),
            sc.SamplerParameter("scale", sc.SamplerType.UNIFORM, 42, (0.75, 3.0)),
            sc.SamplerParameter("g", sc.SamplerType.GAUSSIAN, -1, (1.0, 0.5)),
            sc.SamplerParameter("w", sc.SamplerType.MULTIRANGEUNIFORM, 3, (0.0, 1.0, 5.0, 6.0)),
        )
    ]
    assert sc.frame_messages(ours).hex() == theirs["generated"]
    assert theirs["stats"] == {
        "Env/Score": [[1.5, 0], [2.0, 1]],
        "Env/Count": [[3.0, 2]],
        "Env/Hist": [[4.0, 3]],
    }
