"""Protobuf messages of ML-Agents' communicator API 1.5.0 (package ``communicator_objects``), written by us.

The ``.proto`` files next to this module are our own definitions, written from the documented field names,
numbers and types (ML-Agents ``protobuf-definitions/proto/mlagents_envs/communicator_objects``); the ``*_pb2.py`` / ``*_pb2.pyi`` modules and
``unity_to_external_pb2_grpc.py`` are generated from them by ``scripts/gen_protos.py`` (do not edit by hand).
The ``grpc`` stub module is imported only by code that serves the protocol, so ``.demo`` reading needs
protobuf alone.
"""

from __future__ import annotations

from .agent_action_pb2 import AgentActionProto
from .agent_info_action_pair_pb2 import AgentInfoActionPairProto
from .agent_info_pb2 import AgentInfoProto
from .brain_parameters_pb2 import ActionSpecProto, BrainParametersProto
from .capabilities_pb2 import UnityRLCapabilitiesProto
from .command_pb2 import CommandProto
from .custom_reset_parameters_pb2 import CustomResetParametersProto
from .demonstration_meta_pb2 import DemonstrationMetaProto
from .engine_configuration_pb2 import EngineConfigurationProto
from .header_pb2 import HeaderProto
from .observation_pb2 import CompressionTypeProto, ObservationProto, ObservationTypeProto
from .space_type_pb2 import SpaceTypeProto
from .training_analytics_pb2 import TrainingBehaviorInitialized, TrainingEnvironmentInitialized
from .unity_input_pb2 import UnityInputProto
from .unity_message_pb2 import UnityMessageProto
from .unity_output_pb2 import UnityOutputProto
from .unity_rl_initialization_input_pb2 import UnityRLInitializationInputProto
from .unity_rl_initialization_output_pb2 import UnityRLInitializationOutputProto
from .unity_rl_input_pb2 import UnityRLInputProto
from .unity_rl_output_pb2 import UnityRLOutputProto

__all__ = [
    "ActionSpecProto",
    "AgentActionProto",
    "AgentInfoActionPairProto",
    "AgentInfoProto",
    "BrainParametersProto",
    "CommandProto",
    "CompressionTypeProto",
    "CustomResetParametersProto",
    "DemonstrationMetaProto",
    "EngineConfigurationProto",
    "HeaderProto",
    "ObservationProto",
    "ObservationTypeProto",
    "SpaceTypeProto",
    "TrainingBehaviorInitialized",
    "TrainingEnvironmentInitialized",
    "UnityInputProto",
    "UnityMessageProto",
    "UnityOutputProto",
    "UnityRLCapabilitiesProto",
    "UnityRLInitializationInputProto",
    "UnityRLInitializationOutputProto",
    "UnityRLInputProto",
    "UnityRLOutputProto",
]
