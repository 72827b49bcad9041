// Compile-only stubs of com.unity.ml-agents 3.0.0: the Unity.MLAgents, .Areas, .Demonstrations and .Policies namespaces.
// Public surface read from needle-mirror/com.unity.ml-agents@b1c6584 (3.0.0), Runtime/*.cs, Runtime/Areas, Runtime/Demonstrations, Runtime/Policies;
// the member list is pinned by tests/codegen/data/mlagents_api_3.0.0.json (scripts/extract_mlagents_api.py).
// Our own declarations: bodies throw, except where noted for the Mono physics tests.
#pragma warning disable 0067, 0649
using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.IO;
using System.Runtime.Serialization;
using UnityEngine;
using Unity.Mathematics;
using Unity.MLAgents.Actuators;
using Unity.MLAgents.Policies;
using Unity.MLAgents.Sensors;
using Unity.Sentis;

namespace Unity.MLAgents
{
    public class Academy : IDisposable
    {
        protected Academy() { }
        public event Action<int> AgentPreStep;
        public event Action OnEnvironmentReset;
        public void Dispose() { throw null; }
        public void EnvironmentStep() { throw null; }
        public bool AutomaticSteppingEnabled { get { throw null; } set { throw null; } }
        public EnvironmentParameters EnvironmentParameters { get { throw null; } }
        public int EpisodeCount { get { throw null; } }
        public int InferenceSeed { set { throw null; } }
        public static Academy Instance { get { throw null; } }
        public bool IsCommunicatorOn { get { throw null; } }
        public static bool IsInitialized { get { throw null; } }
        public int NumAreas { get { throw null; } }
        public StatsRecorder StatsRecorder { get { throw null; } }
        public int StepCount { get { throw null; } }
        public int TotalStepCount { get { throw null; } }
    }

    [RequireComponent(typeof(BehaviorParameters))]
    [DefaultExecutionOrder(-50)]
    public class Agent : MonoBehaviour, ISerializationCallbackReceiver, IActionReceiver, IHeuristicProvider
    {
        // Working bookkeeping (not the package's code): tests/codegen/test_mono_physics.py runs generated agents
        // under Mono and reads the reward and episode counts they produce.
        float m_Reward;
        float m_CumulativeReward;
        int m_CompletedEpisodes;
        int m_StepCount;

        [HideInInspector] public int MaxStep;
        public void AddReward(float increment) { m_Reward += increment; m_CumulativeReward += increment; }
        protected internal virtual void Awake() { throw null; }
        public virtual void CollectObservations(VectorSensor sensor) { throw null; }
        public void EndEpisode() { m_CompletedEpisodes++; }
        public void EpisodeInterrupted() { throw null; }
        public float GetCumulativeReward() { return m_CumulativeReward; }
        public ReadOnlyCollection<float> GetObservations() { throw null; }
        public ReadOnlyCollection<float> GetStackedObservations() { throw null; }
        public ActionBuffers GetStoredActionBuffers() { throw null; }
        public virtual void Heuristic(in ActionBuffers actionsOut) { throw null; }
        public virtual void Initialize() { throw null; }
        public void LazyInitialize() { throw null; }
        public virtual void OnActionReceived(ActionBuffers actions) { throw null; }
        public void OnAfterDeserialize() { throw null; }
        public void OnBeforeSerialize() { throw null; }
        protected virtual void OnDisable() { throw null; }
        protected virtual void OnEnable() { throw null; }
        public virtual void OnEpisodeBegin() { throw null; }
        public void RequestAction() { throw null; }
        public void RequestDecision() { throw null; }
        protected static float ScaleAction(float rawAction, float min, float max) { throw null; }
        public void SetModel(string behaviorName, ModelAsset model, InferenceDevice inferenceDevice = InferenceDevice.Default) { throw null; }
        public void SetReward(float reward) { m_CumulativeReward += reward - m_Reward; m_Reward = reward; }
        public virtual void WriteDiscreteActionMask(IDiscreteActionMask actionMask) { throw null; }
        public int CompletedEpisodes { get { return m_CompletedEpisodes; } }
        public int StepCount { get { return m_StepCount; } }
    }

    public struct AgentInfo
    {
        public bool[] discreteActionMasks;
        public bool done;
        public int episodeId;
        public int groupId;
        public float groupReward;
        public bool maxStepReached;
        public float reward;
        public ActionBuffers storedActions;
        public void ClearActions() { throw null; }
        public void CopyActions(ActionBuffers actionBuffers) { throw null; }
    }

    public static class CommunicatorFactory
    {
        public static void ClearCreator() { throw null; }
        public static void Register<T>(Func<T> creator) where T : ICommunicator { throw null; }
        public static bool CommunicatorRegistered { get { throw null; } }
        public static bool Enabled { get { throw null; } set { throw null; } }
    }

    public struct CommunicatorInitParameters
    {
        public UnityRLCapabilities CSharpCapabilities;
        public string name;
        public int port;
        public string unityCommunicationVersion;
        public string unityPackageVersion;
    }

    public class DecisionRequester : MonoBehaviour
    {
        [Range(1, 20)] public int DecisionPeriod = 5;
        [Range(0, 19)] public int DecisionStep = 0;
        public bool TakeActionsBetweenDecisions = true;
        protected virtual bool ShouldRequestAction(DecisionRequestContext context) { throw null; }
        protected virtual bool ShouldRequestDecision(DecisionRequestContext context) { throw null; }
        public Agent Agent { get { throw null; } }
        public struct DecisionRequestContext
        {
            public int AcademyStepCount;
        }
    }

    public sealed class EnvironmentParameters
    {
        internal EnvironmentParameters() { }
        public float GetWithDefault(string key, float defaultValue) { throw null; }
        public IList<string> Keys() { throw null; }
        public void RegisterCallback(string key, Action<float> action) { throw null; }
    }

    public interface ICommunicator : IDisposable
    {
        event QuitCommandHandler QuitCommandReceived;
        event ResetCommandHandler ResetCommandReceived;
        void DecideBatch();
        ActionBuffers GetActions(string key, int agentId);
        bool Initialize(CommunicatorInitParameters initParameters, out UnityRLInitParameters initParametersOut);
        void PutObservations(string brainKey, AgentInfo info, List<ISensor> sensors);
        void SubscribeBrain(string name, ActionSpec actionSpec);
    }

    public interface IMultiAgentGroup
    {
        int GetId();
        void RegisterAgent(Agent agent);
        void UnregisterAgent(Agent agent);
    }

    public struct InplaceArray<T> : IEquatable<InplaceArray<T>> where T : struct
    {
        public InplaceArray(T elem0) { throw null; }
        public InplaceArray(T elem0, T elem1) { throw null; }
        public InplaceArray(T elem0, T elem1, T elem2) { throw null; }
        public InplaceArray(T elem0, T elem1, T elem2, T elem3) { throw null; }
        public T this[int index] { get { throw null; } set { throw null; } }
        public bool Equals(InplaceArray<T> other) { throw null; }
        public override bool Equals(object other) { throw null; }
        public static InplaceArray<T> FromList(IList<T> elems) { throw null; }
        public override int GetHashCode() { throw null; }
        public override string ToString() { throw null; }
        public static bool operator !=(InplaceArray<T> lhs, InplaceArray<T> rhs) { throw null; }
        public static bool operator ==(InplaceArray<T> lhs, InplaceArray<T> rhs) { throw null; }
        public int Length { get { throw null; } }
    }

    public delegate void QuitCommandHandler();

    public delegate void ResetCommandHandler();

    public class RpcCommunicator : ICommunicator
    {
        protected RpcCommunicator() { }
        public event QuitCommandHandler QuitCommandReceived;
        public event ResetCommandHandler ResetCommandReceived;
        public static RpcCommunicator Create() { throw null; }
        public void DecideBatch() { throw null; }
        public void Dispose() { throw null; }
        public ActionBuffers GetActions(string behaviorName, int agentId) { throw null; }
        public bool Initialize(CommunicatorInitParameters initParameters, out UnityRLInitParameters initParametersOut) { throw null; }
        public void PutObservations(string behaviorName, AgentInfo info, List<ISensor> sensors) { throw null; }
        public void SubscribeBrain(string brainKey, ActionSpec actionSpec) { throw null; }
    }

    public class SimpleMultiAgentGroup : IMultiAgentGroup, IDisposable
    {
        public void AddGroupReward(float reward) { throw null; }
        public virtual void Dispose() { throw null; }
        public void EndGroupEpisode() { throw null; }
        public int GetId() { throw null; }
        public IReadOnlyCollection<Agent> GetRegisteredAgents() { throw null; }
        public void GroupEpisodeInterrupted() { throw null; }
        public virtual void RegisterAgent(Agent agent) { throw null; }
        public void SetGroupReward(float reward) { throw null; }
        public virtual void UnregisterAgent(Agent agent) { throw null; }
    }

    public enum StatAggregationMethod
    {
        Average = 0,
        MostRecent = 1,
        Sum = 2,
        Histogram = 3,
    }

    public sealed class StatsRecorder
    {
        internal StatsRecorder() { }
        public void Add(string key, float value, StatAggregationMethod aggregationMethod = StatAggregationMethod.Average) { throw null; }
    }

    public class UnityAgentsException : Exception
    {
        protected UnityAgentsException(SerializationInfo info, StreamingContext context) { throw null; }
        public UnityAgentsException(string message) { throw null; }
    }

    public class UnityRLCapabilities
    {
        public UnityRLCapabilities(bool baseRlCapabilities = true, bool concatenatedPngObservations = true, bool compressedChannelMapping = true, bool hybridActions = true, bool trainingAnalytics = true, bool variableLengthObservation = true, bool multiAgentGroups = true) { throw null; }
        public bool BaseRLCapabilities;
        public bool CompressedChannelMapping;
        public bool ConcatenatedPngObservations;
        public bool HybridActions;
        public bool MultiAgentGroups;
        public bool TrainingAnalytics;
        public bool VariableLengthObservation;
        public bool WarnOnPythonMissingBaseRLCapabilities() { throw null; }
    }

    public struct UnityRLInitParameters
    {
        public UnityRLCapabilities TrainerCapabilities;
        public int numAreas;
        public string pythonCommunicationVersion;
        public string pythonLibraryVersion;
        public int seed;
    }
}

namespace Unity.MLAgents.Areas
{
    public class TrainingAreaReplicator : MonoBehaviour
    {
        public GameObject baseArea;
        public bool buildOnly;
        public int numAreas;
        public float separation;
        public void Awake() { throw null; }
        public void OnEnable() { throw null; }
        public int3 GridSize { get { throw null; } }
        public string TrainingAreaName { get { throw null; } }
    }
}

namespace Unity.MLAgents.Demonstrations
{
    public class DemonstrationRecorder : MonoBehaviour
    {
        public string DemonstrationDirectory;
        public string DemonstrationName;
        public int NumStepsToRecord;
        public bool Record;
        public void AddDemonstrationWriterToAgent(DemonstrationWriter demoWriter) { throw null; }
        public void Close() { throw null; }
        public void RemoveDemonstrationWriterFromAgent(DemonstrationWriter demoWriter) { throw null; }
    }

    public class DemonstrationWriter
    {
        public DemonstrationWriter(Stream stream) { throw null; }
        public void Close() { throw null; }
    }
}

namespace Unity.MLAgents.Policies
{
    public class BehaviorParameters : MonoBehaviour
    {
        public int TeamId;
        public bool IsInHeuristicMode() { throw null; }
        public string BehaviorName { get { throw null; } set { throw null; } }
        public BehaviorType BehaviorType { get { throw null; } set { throw null; } }
        public BrainParameters BrainParameters { get { throw null; } }
        public bool DeterministicInference { get { throw null; } set { throw null; } }
        public string FullyQualifiedBehaviorName { get { throw null; } }
        public InferenceDevice InferenceDevice { get { throw null; } set { throw null; } }
        public ModelAsset Model { get { throw null; } set { throw null; } }
        public ObservableAttributeOptions ObservableAttributeHandling { get { throw null; } set { throw null; } }
        public bool UseChildActuators { get { throw null; } set { throw null; } }
        public bool UseChildSensors { get { throw null; } set { throw null; } }
        public delegate void PolicyUpdated(bool isInHeuristicMode);
    }

    public enum BehaviorType
    {
        Default = 0,
        HeuristicOnly = 1,
        InferenceOnly = 2,
    }

    public class BrainParameters : ISerializationCallbackReceiver
    {
        public int NumStackedVectorObservations;
        public string[] VectorActionDescriptions;
        public int VectorObservationSize;
        public BrainParameters Clone() { throw null; }
        public void OnAfterDeserialize() { throw null; }
        public void OnBeforeSerialize() { throw null; }
        public ActionSpec ActionSpec { get { throw null; } set { throw null; } }
    }

    public enum InferenceDevice
    {
        Default = 0,
        ComputeShader = 1,
        Burst = 2,
        PixelShader = 3,
    }

    public enum ObservableAttributeOptions
    {
        Ignore = 0,
        ExcludeInherited = 1,
        ExamineAll = 2,
    }
}
