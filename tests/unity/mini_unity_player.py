"""A minimal Unity-side peer of the ML-Agents gRPC protocol: a stand-in *player* for real mlagents-learn.

Not the simulator player (``bridge/``): just enough of the Unity side (upstream
``ml-agents-envs/mlagents_envs/environment.py``, ``rpc_communicator.py``) for a real
``mlagents-learn`` to train against, so its success path, summaries, ONNX export and SIGINT handling can be
tested. It runs under the mlagents venv's Python and uses that venv's own ``communicator_objects``.

Task "Reach": one agent observes a target t in [-1, 1] and outputs one continuous action a; reward per step is
``-|clip(a) - t|``; episodes last 8 decisions (max step reached). Run as
``<player> -nographics -batchmode --mlagents-port <port> -logFile <file>`` (what mlagents-learn passes).
"""

from __future__ import annotations

import random
import sys

import grpc
from mlagents_envs.communicator_objects import (
    agent_info_pb2,
    brain_parameters_pb2,
    capabilities_pb2,
    command_pb2,
    header_pb2,
    observation_pb2,
    unity_message_pb2,
    unity_output_pb2,
    unity_rl_initialization_output_pb2,
    unity_rl_output_pb2,
    unity_to_external_pb2_grpc,
)

BEHAVIOR = "Reach?team=0"
EPISODE_LENGTH = 8


def arg(flag: str, default: str | None = None) -> str | None:
    argv = sys.argv[1:]
    return argv[argv.index(flag) + 1] if flag in argv and argv.index(flag) + 1 < len(argv) else default


def log(text: str) -> None:
    path = arg("-logFile")
    if path:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(text + "\n")


def message(
    output: unity_output_pb2.UnityOutputProto | None = None,
) -> unity_message_pb2.UnityMessageProto:
    msg = unity_message_pb2.UnityMessageProto(header=header_pb2.HeaderProto(status=200))
    if output is not None:
        msg.unity_output.CopyFrom(output)
    return msg


def agent_info(target: float, reward: float, done: bool, max_step: bool) -> agent_info_pb2.AgentInfoProto:
    obs = observation_pb2.ObservationProto(
        shape=[1], compression_type=observation_pb2.NONE, name="VectorSensor"
    )
    obs.float_data.data.append(target)
    return agent_info_pb2.AgentInfoProto(
        reward=reward, done=done, max_step_reached=max_step, id=0, observations=[obs]
    )


def main() -> int:
    port = arg("--mlagents-port")
    if port is None:
        log("no --mlagents-port: no trainer connection")
        return 0
    channel = grpc.insecure_channel(f"localhost:{port}")
    grpc.channel_ready_future(channel).result(timeout=60)
    stub = unity_to_external_pb2_grpc.UnityToExternalProtoStub(channel)
    caps = capabilities_pb2.UnityRLCapabilitiesProto(
        baseRLCapabilities=True,
        concatenatedPngObservations=True,
        compressedChannelMapping=True,
        hybridActions=True,
        trainingAnalytics=True,
        variableLengthObservation=True,
        multiAgentGroups=True,
    )
    init = unity_rl_initialization_output_pb2.UnityRLInitializationOutputProto(
        name="AcademySingleton", communication_version="1.5.0", package_version="3.0.0", capabilities=caps
    )
    reply = stub.Exchange(message(unity_output_pb2.UnityOutputProto(rl_initialization_output=init)))
    seed = reply.unity_input.rl_initialization_input.seed
    rng = random.Random(seed)
    log(f"connected to trainer on port {port}, seed {seed}")
    reply = stub.Exchange(message())  # exchange #2; the answer is the first RESET
    brain = brain_parameters_pb2.BrainParametersProto(
        brain_name=BEHAVIOR,
        is_training=True,
        action_spec=brain_parameters_pb2.ActionSpecProto(num_continuous_actions=1, num_discrete_actions=0),
    )
    sent_brain = False
    target, step, reward, done = rng.uniform(-1, 1), 0, 0.0, False
    while True:
        if reply.header.status != 200:
            log(f"trainer closed the connection (status {reply.header.status})")
            return 0
        rl_input = reply.unity_input.rl_input
        if rl_input.command == command_pb2.QUIT:
            return 0
        if rl_input.command == command_pb2.RESET:
            target, step, reward, done = rng.uniform(-1, 1), 0, 0.0, False
        else:
            actions = rl_input.agent_actions[BEHAVIOR].value if BEHAVIOR in rl_input.agent_actions else []
            if done:  # the previous decision ended an episode: start the next one
                target, step, reward, done = rng.uniform(-1, 1), 0, 0.0, False
            elif actions:
                action = max(-1.0, min(1.0, actions[0].continuous_actions[0]))
                step += 1
                reward = -abs(action - target)
                done = step >= EPISODE_LENGTH
        rl_output = unity_rl_output_pb2.UnityRLOutputProto()
        rl_output.agentInfos[BEHAVIOR].value.append(agent_info(target, reward, done, done))
        output = unity_output_pb2.UnityOutputProto(rl_output=rl_output)
        if not sent_brain:
            output.rl_initialization_output.brain_parameters.append(brain)
            sent_brain = True
        try:
            reply = stub.Exchange(message(output))
        except grpc.RpcError as exc:
            log(f"trainer went away: {exc.code()}")
            return 0


if __name__ == "__main__":
    sys.exit(main())
