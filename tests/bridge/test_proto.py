"""Our communicator_objects messages: construct, serialize, parse back, and wire field numbers."""

from __future__ import annotations

import struct

import pytest
from google.protobuf.message import Message

from mlops_unity_pipeline.bridge import proto as P


def tag(field: int, wire_type: int) -> bytes:
    """Encode a protobuf key (field number and wire type) as a varint."""
    key = (field << 3) | wire_type
    out = bytearray()
    while key >= 0x80:
        out.append((key & 0x7F) | 0x80)
        key >>= 7
    out.append(key)
    return bytes(out)


def f32(value: float) -> bytes:
    return struct.pack("<f", value)


def _roundtrip(message: Message) -> Message:
    data = message.SerializeToString()
    back = type(message).FromString(data)
    assert back == message
    return back


def _sample_observation() -> P.ObservationProto:
    obs = P.ObservationProto(shape=[2], name="VectorSensor", dimension_properties=[1])
    obs.float_data.data.extend([0.5, -1.0])
    return obs


SAMPLES: dict[str, Message] = {
    "HeaderProto": P.HeaderProto(status=200, message="ok"),
    "UnityRLCapabilitiesProto": P.UnityRLCapabilitiesProto(
        baseRLCapabilities=True,
        concatenatedPngObservations=True,
        compressedChannelMapping=True,
        hybridActions=True,
        trainingAnalytics=True,
        variableLengthObservation=True,
        multiAgentGroups=True,
    ),
    "ObservationProto": _sample_observation(),
    "ObservationProto(png)": P.ObservationProto(
        shape=[3, 2, 2],
        compression_type=P.CompressionTypeProto.PNG,
        compressed_data=b"\x89PNG",
        name="Cam",
        compressed_channel_mapping=[0, 1, 2],
        observation_type=P.ObservationTypeProto.GOAL_SIGNAL,
    ),
    "AgentInfoProto": P.AgentInfoProto(
        reward=1.5,
        done=True,
        max_step_reached=True,
        id=-7,
        action_mask=[True, False],
        observations=[_sample_observation()],
        group_id=3,
        group_reward=0.25,
    ),
    "AgentActionProto": P.AgentActionProto(
        vector_actions_deprecated=[0.1], value=2.0, continuous_actions=[0.1, -0.2], discrete_actions=[1, 2]
    ),
    "ActionSpecProto": P.ActionSpecProto(
        num_continuous_actions=2, num_discrete_actions=1, discrete_branch_sizes=[3], action_descriptions=["a"]
    ),
    "BrainParametersProto": P.BrainParametersProto(
        vector_action_size_deprecated=[3],
        vector_action_descriptions_deprecated=["x"],
        vector_action_space_type_deprecated=P.SpaceTypeProto.continuous,
        brain_name="3DBall",
        is_training=True,
        action_spec=P.ActionSpecProto(num_continuous_actions=2),
    ),
    "AgentInfoActionPairProto": P.AgentInfoActionPairProto(
        agent_info=P.AgentInfoProto(reward=1.0), action_info=P.AgentActionProto(discrete_actions=[1])
    ),
    "DemonstrationMetaProto": P.DemonstrationMetaProto(
        api_version=1, demonstration_name="demo", number_steps=10, number_episodes=2, mean_reward=0.5
    ),
    "EngineConfigurationProto": P.EngineConfigurationProto(
        width=84, height=84, quality_level=5, time_scale=20.0, target_frame_rate=-1, show_monitor=True
    ),
    "CustomResetParametersProto": P.CustomResetParametersProto(),
    "TrainingEnvironmentInitialized": P.TrainingEnvironmentInitialized(
        mlagents_version="1.1.0",
        mlagents_envs_version="1.1.0",
        python_version="3.11",
        torch_version="2",
        torch_device_type="cpu",
        num_envs=2,
        num_environment_parameters=1,
        run_options="{}",
    ),
    "TrainingBehaviorInitialized": P.TrainingBehaviorInitialized(
        behavior_name="3DBall",
        trainer_type="ppo",
        extrinsic_reward_enabled=True,
        gail_reward_enabled=True,
        curiosity_reward_enabled=True,
        rnd_reward_enabled=True,
        behavioral_cloning_enabled=True,
        recurrent_enabled=True,
        visual_encoder="simple",
        num_network_layers=2,
        num_network_hidden_units=128,
        trainer_threaded=True,
        self_play_enabled=True,
        curriculum_enabled=True,
        config="{}",
    ),
    "UnityRLInitializationInputProto": P.UnityRLInitializationInputProto(
        seed=5,
        communication_version="1.5.0",
        package_version="1.1.0",
        capabilities=P.UnityRLCapabilitiesProto(baseRLCapabilities=True),
        num_areas=2,
    ),
    "UnityRLInitializationOutputProto": P.UnityRLInitializationOutputProto(
        name="AcademySingleton",
        communication_version="1.5.0",
        log_path="/tmp/x",
        brain_parameters=[P.BrainParametersProto(brain_name="3DBall")],
        package_version="3.0.0",
        capabilities=P.UnityRLCapabilitiesProto(hybridActions=True),
    ),
    "UnityRLInputProto": P.UnityRLInputProto(
        agent_actions={
            "3DBall": P.UnityRLInputProto.ListAgentActionProto(value=[P.AgentActionProto(value=1)])
        },
        command=P.CommandProto.RESET,
        side_channel=b"\x01\x02",
    ),
    "UnityRLOutputProto": P.UnityRLOutputProto(
        agentInfos={"3DBall": P.UnityRLOutputProto.ListAgentInfoProto(value=[P.AgentInfoProto(id=1)])},
        side_channel=b"\x03",
    ),
    "UnityInputProto": P.UnityInputProto(rl_input=P.UnityRLInputProto(command=P.CommandProto.QUIT)),
    "UnityOutputProto": P.UnityOutputProto(rl_output=P.UnityRLOutputProto(side_channel=b"x")),
    "UnityMessageProto": P.UnityMessageProto(
        header=P.HeaderProto(status=400),
        unity_output=P.UnityOutputProto(rl_output=P.UnityRLOutputProto(side_channel=b"x")),
        unity_input=P.UnityInputProto(rl_input=P.UnityRLInputProto(command=P.CommandProto.STEP)),
    ),
}


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_message_roundtrips(name: str) -> None:
    """Every message constructs with all its fields set, serializes and parses back equal."""
    message = SAMPLES[name]
    if name != "CustomResetParametersProto":  # an empty message upstream too
        assert message.SerializeToString(), "sample should set at least one field"
    _roundtrip(message)


def test_every_exported_message_is_sampled() -> None:
    """The round-trip samples cover every message class the package exports."""
    exported = {
        n for n in P.__all__ if isinstance(getattr(P, n), type) and issubclass(getattr(P, n), Message)
    }
    sampled = {n.split("(")[0] for n in SAMPLES}
    assert exported == sampled


def test_package_is_communicator_objects() -> None:
    """Full names use ML-Agents' proto package, so peers agree on type names."""
    assert P.AgentInfoProto.DESCRIPTOR.full_name == "communicator_objects.AgentInfoProto"
    assert P.UnityMessageProto.DESCRIPTOR.file.package == "communicator_objects"


def test_agent_info_wire_fields() -> None:
    """AgentInfoProto: reward=7 (fixed32), done=8, id=10, action_mask=11 (packed), observations=13."""
    assert P.AgentInfoProto(reward=1.5).SerializeToString() == tag(7, 5) + f32(1.5)
    assert P.AgentInfoProto(done=True).SerializeToString() == tag(8, 0) + b"\x01"
    assert P.AgentInfoProto(max_step_reached=True).SerializeToString() == tag(9, 0) + b"\x01"
    assert P.AgentInfoProto(id=3).SerializeToString() == tag(10, 0) + b"\x03"
    assert P.AgentInfoProto(action_mask=[True, False]).SerializeToString() == tag(11, 2) + b"\x02\x01\x00"
    obs = P.ObservationProto(shape=[1])
    body = obs.SerializeToString()
    assert P.AgentInfoProto(observations=[obs]).SerializeToString() == tag(13, 2) + bytes([len(body)]) + body
    assert P.AgentInfoProto(group_id=2).SerializeToString() == tag(14, 0) + b"\x02"
    assert P.AgentInfoProto(group_reward=0.5).SerializeToString() == tag(15, 5) + f32(0.5)


def test_agent_action_wire_fields() -> None:
    """AgentActionProto: vector_actions_deprecated=1, value=4, continuous_actions=6, discrete_actions=7."""
    assert P.AgentActionProto(continuous_actions=[1.0]).SerializeToString() == tag(6, 2) + b"\x04" + f32(1.0)
    assert P.AgentActionProto(discrete_actions=[2, 1]).SerializeToString() == tag(7, 2) + b"\x02\x02\x01"
    assert P.AgentActionProto(vector_actions_deprecated=[2.0]).SerializeToString() == tag(
        1, 2
    ) + b"\x04" + f32(2.0)
    assert P.AgentActionProto(value=0.5).SerializeToString() == tag(4, 5) + f32(0.5)


def test_observation_wire_fields() -> None:
    """ObservationProto: shape=1, compression_type=2, compressed_data=3, float_data=4, mapping=5, name=8."""
    assert P.ObservationProto(shape=[8]).SerializeToString() == tag(1, 2) + b"\x01\x08"
    png = P.ObservationProto(compression_type=P.CompressionTypeProto.PNG, compressed_data=b"ab")
    assert png.SerializeToString() == tag(2, 0) + b"\x01" + tag(3, 2) + b"\x02ab"
    floats = P.ObservationProto()
    floats.float_data.data.append(1.0)
    assert floats.SerializeToString() == tag(4, 2) + b"\x06" + tag(1, 2) + b"\x04" + f32(1.0)
    assert P.ObservationProto(compressed_channel_mapping=[0]).SerializeToString() == tag(5, 2) + b"\x01\x00"
    assert P.ObservationProto(name="a").SerializeToString() == tag(8, 2) + b"\x01a"


def test_brain_parameters_and_meta_wire_fields() -> None:
    """BrainParametersProto legacy 3/6, brain_name=7, action_spec=9; DemonstrationMetaProto 1-5."""
    legacy = P.BrainParametersProto(vector_action_size_deprecated=[3], vector_action_space_type_deprecated=1)
    assert legacy.SerializeToString() == tag(3, 2) + b"\x01\x03" + tag(6, 0) + b"\x01"
    assert P.BrainParametersProto(brain_name="B").SerializeToString() == tag(7, 2) + b"\x01B"
    spec = P.BrainParametersProto(action_spec=P.ActionSpecProto(num_continuous_actions=2))
    assert spec.SerializeToString() == tag(9, 2) + b"\x02" + tag(1, 0) + b"\x02"
    meta = P.DemonstrationMetaProto(
        api_version=1, demonstration_name="d", number_steps=2, number_episodes=1, mean_reward=1.0
    )
    assert meta.SerializeToString() == (
        tag(1, 0)
        + b"\x01"
        + tag(2, 2)
        + b"\x01d"
        + tag(3, 0)
        + b"\x02"
        + tag(4, 0)
        + b"\x01"
        + tag(5, 5)
        + f32(1.0)
    )


def test_envelope_wire_fields() -> None:
    """UnityMessageProto header=1/output=2/input=3; UnityRLInputProto command=4, side_channel=5."""
    message = P.UnityMessageProto(header=P.HeaderProto(status=200))
    assert message.SerializeToString() == tag(1, 2) + b"\x03" + tag(1, 0) + b"\xc8\x01"
    rl_input = P.UnityRLInputProto(command=P.CommandProto.RESET, side_channel=b"z")
    assert rl_input.SerializeToString() == tag(4, 0) + b"\x01" + tag(5, 2) + b"\x01z"
    assert P.UnityRLOutputProto(side_channel=b"z").SerializeToString() == tag(3, 2) + b"\x01z"
    init = P.UnityRLInitializationInputProto(seed=1, num_areas=2)
    assert init.SerializeToString() == tag(1, 0) + b"\x01" + tag(5, 0) + b"\x02"
    out = P.UnityRLInitializationOutputProto(package_version="3", capabilities=P.UnityRLCapabilitiesProto())
    assert out.SerializeToString() == tag(7, 2) + b"\x013" + tag(8, 2) + b"\x00"
    caps = P.UnityRLCapabilitiesProto(multiAgentGroups=True)
    assert caps.SerializeToString() == tag(7, 0) + b"\x01"


def test_maps_keyed_by_behavior_name() -> None:
    """agent_actions (field 1) and agentInfos (field 2) are maps of behavior name to lists."""
    rl_in = P.UnityRLInputProto()
    rl_in.agent_actions["B"].value.add(discrete_actions=[1])
    entry = P.UnityRLInputProto.ListAgentActionProto(value=[P.AgentActionProto(discrete_actions=[1])])
    entry_bytes = (
        tag(1, 2) + b"\x01B" + tag(2, 2) + bytes([len(entry.SerializeToString())]) + entry.SerializeToString()
    )
    assert rl_in.SerializeToString() == tag(1, 2) + bytes([len(entry_bytes)]) + entry_bytes
    rl_out = P.UnityRLOutputProto()
    rl_out.agentInfos["B"].value.add(id=1)
    assert rl_out.SerializeToString()[:1] == tag(2, 2)


def test_command_and_enum_values() -> None:
    """Enum numbers match the protocol: STEP 0, RESET 1, QUIT 2; NONE 0 / PNG 1; discrete 0 / continuous 1."""
    assert (P.CommandProto.STEP, P.CommandProto.RESET, P.CommandProto.QUIT) == (0, 1, 2)
    assert (P.CompressionTypeProto.NONE, P.CompressionTypeProto.PNG) == (0, 1)
    assert (P.SpaceTypeProto.discrete, P.SpaceTypeProto.continuous) == (0, 1)
    assert (P.ObservationTypeProto.DEFAULT, P.ObservationTypeProto.GOAL_SIGNAL) == (0, 1)


def test_grpc_service_stub_exposes_exchange() -> None:
    """The generated gRPC module declares UnityToExternalProto/Exchange with our message types."""
    grpc = pytest.importorskip("grpc")
    from mlops_unity_pipeline.bridge.proto import unity_to_external_pb2, unity_to_external_pb2_grpc

    service = unity_to_external_pb2.DESCRIPTOR.services_by_name["UnityToExternalProto"]
    method = service.methods_by_name["Exchange"]
    assert method.input_type.full_name == "communicator_objects.UnityMessageProto"
    assert method.output_type.full_name == "communicator_objects.UnityMessageProto"
    assert hasattr(unity_to_external_pb2_grpc, "UnityToExternalProtoStub")
    assert hasattr(unity_to_external_pb2_grpc, "add_UnityToExternalProtoServicer_to_server")
    assert grpc is not None


def test_exchange_over_loopback() -> None:
    """A real gRPC Exchange on 127.0.0.1 carries a UnityMessageProto both ways."""
    grpc = pytest.importorskip("grpc")
    from concurrent.futures import ThreadPoolExecutor

    from mlops_unity_pipeline.bridge.proto import unity_to_external_pb2_grpc as G

    class Servicer(G.UnityToExternalProtoServicer):
        def Exchange(self, request, context):  # noqa: N802  # generated method name
            reply = P.UnityMessageProto(header=P.HeaderProto(status=200))
            reply.unity_input.rl_input.command = P.CommandProto.RESET
            reply.unity_input.rl_input.side_channel = request.unity_output.rl_output.side_channel
            return reply

    server = grpc.server(ThreadPoolExecutor(max_workers=1))
    G.add_UnityToExternalProtoServicer_to_server(Servicer(), server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    try:
        with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
            stub = G.UnityToExternalProtoStub(channel)
            request = P.UnityMessageProto(header=P.HeaderProto(status=200))
            request.unity_output.rl_output.side_channel = b"hello"
            reply = stub.Exchange(request, timeout=10)
    finally:
        server.stop(0)
    assert reply.header.status == 200
    assert reply.unity_input.rl_input.command == P.CommandProto.RESET
    assert reply.unity_input.rl_input.side_channel == b"hello"


def test_generated_modules_are_fresh(tmp_path) -> None:
    """scripts/gen_protos.py --check: the committed *_pb2 modules match the .proto files."""
    import subprocess
    import sys
    from pathlib import Path

    pytest.importorskip("grpc_tools")
    script = Path(__file__).resolve().parents[2] / "scripts" / "gen_protos.py"
    result = subprocess.run(
        [sys.executable, str(script), "--check"], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_generated_imports_are_package_relative() -> None:
    """No generated module imports a sibling as a top-level module."""
    from pathlib import Path

    folder = Path(P.__file__).parent
    for module in folder.glob("*_pb2*.py"):
        for line in module.read_text().splitlines():
            assert not (line.startswith("import ") and "_pb2" in line), f"{module.name}: {line}"


def _gen_protos_module():
    import importlib.util
    from pathlib import Path

    script = Path(__file__).resolve().parents[2] / "scripts" / "gen_protos.py"
    spec = importlib.util.spec_from_file_location("gen_protos", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_freshness_ignores_generator_versions_but_not_definitions() -> None:
    """--check: a newer grpcio-tools banner is not staleness; a changed field definition is."""
    from pathlib import Path

    gen = _gen_protos_module()
    folder = Path(P.__file__).parent
    grpc_text = (folder / "unity_to_external_pb2_grpc.py").read_text()
    bumped = grpc_text.replace("GRPC_GENERATED_VERSION = '1.85.1'", "GRPC_GENERATED_VERSION = '1.99.0'")
    assert bumped != grpc_text
    assert gen.definitions(bumped) == gen.definitions(grpc_text)

    pb2_text = (folder / "agent_info_pb2.py").read_text()
    newer = pb2_text.replace("# Protobuf Python Version: 7.35.1", "# Protobuf Python Version: 8.0.0")
    newer = newer.replace("PUBLIC,\n    7,\n    35,\n    1,", "PUBLIC,\n    8,\n    0,\n    0,")
    assert newer != pb2_text
    assert gen.definitions(newer) == gen.definitions(pb2_text)
    # the reward field (number 7, '\x18\x07') renumbered: a real definition change
    changed = pb2_text.replace("reward\\x18\\x07", "reward\\x18\\x08", 1)
    assert changed != pb2_text
    assert gen.definitions(changed) != gen.definitions(pb2_text)
