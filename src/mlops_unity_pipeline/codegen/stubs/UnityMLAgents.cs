// Stubs of the com.unity.ml-agents 3.x/4.x API surface (namespaces Unity.MLAgents, .Actuators, .Sensors,
// .Policies, .Demonstrations), written from the documented signatures (mlagents.md §6). Signatures only, except
// ActionBuffers/ActionSegment and the reward bookkeeping of Agent (AddReward/SetReward/GetCumulativeReward/
// EndEpisode, StepCount), which tests use when they run the generated physics under Mono.
#pragma warning disable 0067, 0649
using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using UnityEngine;
using Unity.MLAgents.Actuators;
using Unity.MLAgents.Policies;
using Unity.MLAgents.Sensors;

namespace Unity.Sentis
{
    public class ModelAsset : ScriptableObject { }
}

namespace Unity.InferenceEngine
{
    public class ModelAsset : ScriptableObject { }
}

namespace Unity.MLAgents
{
    public enum StatAggregationMethod { Average = 0, MostRecent = 1, Sum = 2, Histogram = 3 }

    public sealed class StatsRecorder
    {
        public void Add(string key, float value, StatAggregationMethod aggregationMethod = StatAggregationMethod.Average) { throw null; }
    }

    public sealed class EnvironmentParameters
    {
        public float GetWithDefault(string key, float defaultValue) { throw null; }
        public void RegisterCallback(string key, Action<float> action) { throw null; }
        public IList<string> Keys() { throw null; }
    }

    public class Academy : IDisposable
    {
        public static Academy Instance { get { throw null; } }
        public static bool IsInitialized { get { throw null; } }
        public EnvironmentParameters EnvironmentParameters { get { throw null; } }
        public StatsRecorder StatsRecorder { get { throw null; } }
        public bool IsCommunicatorOn { get { throw null; } }
        public bool AutomaticSteppingEnabled { get; set; }
        public int StepCount { get { throw null; } }
        public int EpisodeCount { get { throw null; } }
        public int TotalStepCount { get { throw null; } }
        public int InferenceSeed { get { throw null; } set { throw null; } }
        public int NumAreas { get { throw null; } }
        public event Action OnEnvironmentReset;
        public event Action<int> AgentPreStep;
        public void EnvironmentStep() { throw null; }
        public void Dispose() { throw null; }
    }

    [RequireComponent(typeof(BehaviorParameters))]
    [DefaultExecutionOrder(-50)]
    public partial class Agent : MonoBehaviour
    {
        [HideInInspector] public int MaxStep;
        float m_Reward;
        float m_CumulativeReward;
        int m_CompletedEpisodes;
        int m_StepCount;
        public int StepCount { get { return m_StepCount; } }
        public int CompletedEpisodes { get { return m_CompletedEpisodes; } }
        protected virtual void OnEnable() { throw null; }
        protected virtual void OnDisable() { throw null; }
        public void LazyInitialize() { throw null; }
        public virtual void Initialize() { throw null; }
        public virtual void OnEpisodeBegin() { throw null; }
        public virtual void CollectObservations(VectorSensor sensor) { throw null; }
        public virtual void OnActionReceived(ActionBuffers actions) { throw null; }
        public virtual void Heuristic(in ActionBuffers actionsOut) { throw null; }
        public virtual void WriteDiscreteActionMask(IDiscreteActionMask actionMask) { throw null; }
        public void AddReward(float increment) { m_Reward += increment; m_CumulativeReward += increment; }
        public void SetReward(float reward) { m_CumulativeReward += reward - m_Reward; m_Reward = reward; }
        public float GetCumulativeReward() { return m_CumulativeReward; }
        public void EndEpisode() { m_CompletedEpisodes++; }
        public void EpisodeInterrupted() { throw null; }
        public void RequestDecision() { throw null; }
        public void RequestAction() { throw null; }
        public void SetModel(string behaviorName, Unity.Sentis.ModelAsset model, InferenceDevice inferenceDevice = InferenceDevice.Default) { throw null; }
        public ReadOnlyCollection<float> GetObservations() { throw null; }
        public ReadOnlyCollection<float> GetStackedObservations() { throw null; }
        public ActionBuffers GetStoredActionBuffers() { throw null; }
        public void AddObservation(float observation) { throw null; }
        protected static float ScaleAction(float rawAction, float min, float max) { throw null; }
    }

    [AddComponentMenu("ML Agents/Decision Requester", 2)]
    [RequireComponent(typeof(Agent))]
    [DefaultExecutionOrder(-10)]
    public class DecisionRequester : MonoBehaviour
    {
        [Range(1, 20)] public int DecisionPeriod = 5;
        [Range(0, 19)] public int DecisionStep = 0;
        public bool TakeActionsBetweenDecisions = true;
        public Agent Agent { get { throw null; } }
        protected virtual bool ShouldRequestDecision(DecisionRequestContext context) { throw null; }
        protected virtual bool ShouldRequestAction(DecisionRequestContext context) { throw null; }
    }

    public struct DecisionRequestContext
    {
        public int AcademyStepCount;
    }

    public interface ICommunicator : IDisposable { }

    public class RpcCommunicator : ICommunicator
    {
        public static RpcCommunicator Create() { throw null; }
        public void Dispose() { throw null; }
    }

    public static class CommunicatorFactory
    {
        public static bool Enabled { get; set; }
        public static bool CommunicatorRegistered { get { throw null; } }
        public static void Register<T>(Func<T> creator) where T : ICommunicator { throw null; }
        public static ICommunicator Create() { throw null; }
        public static void ClearCreator() { throw null; }
    }

    public class TrainingAreaReplicator : MonoBehaviour
    {
        public GameObject baseArea;
        public int numAreas = 1;
        public float separation = 10f;
    }
}

namespace Unity.MLAgents.Actuators
{
    public readonly struct ActionSegment<T> : IEnumerable<T>, IEquatable<ActionSegment<T>> where T : struct
    {
        public readonly int Offset;
        public readonly int Length;
        public readonly T[] Array;
        public static ActionSegment<T> Empty { get { return new ActionSegment<T>(System.Array.Empty<T>()); } }
        public ActionSegment(T[] actionArray) : this(actionArray, 0, actionArray.Length) { }
        public ActionSegment(T[] actionArray, int offset, int length) { Array = actionArray; Offset = offset; Length = length; }
        public T this[int index] { get { return Array[Offset + index]; } set { Array[Offset + index] = value; } }
        public void Clear() { System.Array.Clear(Array, Offset, Length); }
        public bool IsEmpty() { return Length == 0; }
        public IEnumerator<T> GetEnumerator() { throw null; }
        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() { throw null; }
        public bool Equals(ActionSegment<T> other) { throw null; }
    }

    public readonly struct ActionBuffers
    {
        readonly ActionSegment<float> m_Continuous;
        readonly ActionSegment<int> m_Discrete;
        public static ActionBuffers Empty { get { return new ActionBuffers(new float[0], new int[0]); } }
        public ActionSegment<float> ContinuousActions { get { return m_Continuous; } }
        public ActionSegment<int> DiscreteActions { get { return m_Discrete; } }
        public ActionBuffers(float[] continuousActions, int[] discreteActions)
            : this(new ActionSegment<float>(continuousActions), new ActionSegment<int>(discreteActions)) { }
        public ActionBuffers(ActionSegment<float> continuousActions, ActionSegment<int> discreteActions)
        {
            m_Continuous = continuousActions;
            m_Discrete = discreteActions;
        }
        public ActionBuffers(ActionSpec actionSpec) : this(new float[0], new int[0]) { throw null; }
        public void Clear() { m_Continuous.Clear(); m_Discrete.Clear(); }
        public bool IsEmpty() { return m_Continuous.IsEmpty() && m_Discrete.IsEmpty(); }
    }

    [Serializable]
    public struct ActionSpec
    {
        public int NumContinuousActions { get; set; }
        public int[] BranchSizes;
        public int NumDiscreteActions { get { throw null; } }
        public int SumOfDiscreteBranchSizes { get { throw null; } }
        public ActionSpec(int numContinuousActions = 0, int[] discreteBranchSizes = null) { throw null; }
        public static ActionSpec MakeContinuous(int numActions) { throw null; }
        public static ActionSpec MakeDiscrete(params int[] branchSizes) { throw null; }
        public static ActionSpec Combine(params ActionSpec[] specs) { throw null; }
    }

    public interface IDiscreteActionMask
    {
        void SetActionEnabled(int branch, int actionIndex, bool isEnabled);
    }

    public interface IActionReceiver
    {
        void OnActionReceived(ActionBuffers actionBuffers);
        void WriteDiscreteActionMask(IDiscreteActionMask actionMask);
    }

    public interface IHeuristicProvider
    {
        void Heuristic(in ActionBuffers actionBuffersOut);
    }

    public interface IActuator : IActionReceiver, IHeuristicProvider
    {
        ActionSpec ActionSpec { get; }
        string Name { get; }
        void ResetData();
    }

    public abstract class ActuatorComponent : MonoBehaviour
    {
        public abstract IActuator[] CreateActuators();
        public abstract ActionSpec ActionSpec { get; }
    }

    public class VectorActuator : IActuator
    {
        public VectorActuator(IActionReceiver actionReceiver, ActionSpec actionSpec, string name = "VectorActuator") { throw null; }
        public ActionSpec ActionSpec { get { throw null; } }
        public string Name { get { throw null; } }
        public void ResetData() { throw null; }
        public void OnActionReceived(ActionBuffers actionBuffers) { throw null; }
        public void WriteDiscreteActionMask(IDiscreteActionMask actionMask) { throw null; }
        public void Heuristic(in ActionBuffers actionBuffersOut) { throw null; }
    }
}

namespace Unity.MLAgents.Sensors
{
    public enum ObservationType { Default = 0, GoalSignal = 1 }
    public enum SensorCompressionType { None = 0, PNG = 1 }
    [Flags]
    public enum DimensionProperty { Unspecified = 0, None = 1, TranslationalEquivariance = 2, VariableSize = 4 }

    public struct ObservationSpec
    {
        public ObservationType ObservationType { get { throw null; } }
        public int Rank { get { throw null; } }
        public static ObservationSpec Scalar(ObservationType obsType = ObservationType.Default) { throw null; }
        public static ObservationSpec Vector(int length, ObservationType obsType = ObservationType.Default) { throw null; }
        public static ObservationSpec VariableLength(int obsSize, int maxNumObs) { throw null; }
        public static ObservationSpec Visual(int height, int width, int channels, ObservationType obsType = ObservationType.Default) { throw null; }
    }

    public struct CompressionSpec
    {
        public SensorCompressionType SensorCompressionType { get { throw null; } }
        public static CompressionSpec Default() { throw null; }
        public CompressionSpec(SensorCompressionType sensorCompressionType, int[] compressedChannelMapping = null) { throw null; }
    }

    public class ObservationWriter
    {
        public float this[int index] { set { throw null; } }
        public float this[int h, int w, int ch] { set { throw null; } }
        public void AddList(IList<float> data, int writeOffset = 0) { throw null; }
    }

    public interface ISensor
    {
        ObservationSpec GetObservationSpec();
        int Write(ObservationWriter writer);
        byte[] GetCompressedObservation();
        void Update();
        void Reset();
        CompressionSpec GetCompressionSpec();
        string GetName();
    }

    public class VectorSensor : ISensor
    {
        public VectorSensor(int observationSize, string name = null, ObservationType observationType = ObservationType.Default) { throw null; }
        public void AddObservation(float observation) { throw null; }
        public void AddObservation(int observation) { throw null; }
        public void AddObservation(Vector3 observation) { throw null; }
        public void AddObservation(Vector2 observation) { throw null; }
        public void AddObservation(IList<float> observation) { throw null; }
        public void AddObservation(Quaternion observation) { throw null; }
        public void AddObservation(bool observation) { throw null; }
        public void AddOneHotObservation(int observation, int range) { throw null; }
        public ObservationSpec GetObservationSpec() { throw null; }
        public int Write(ObservationWriter writer) { throw null; }
        public byte[] GetCompressedObservation() { throw null; }
        public void Update() { throw null; }
        public void Reset() { throw null; }
        public CompressionSpec GetCompressionSpec() { throw null; }
        public string GetName() { throw null; }
    }

    public abstract class SensorComponent : MonoBehaviour
    {
        public abstract ISensor[] CreateSensors();
    }

    public class VectorSensorComponent : SensorComponent
    {
        public string SensorName { get; set; }
        public int ObservationSize { get; set; }
        public ObservationType ObservationType { get; set; }
        public int ObservationStacks { get; set; }
        public override ISensor[] CreateSensors() { throw null; }
        public VectorSensor GetSensor() { throw null; }
    }

    public enum RayPerceptionCastType { Cast2D = 0, Cast3D = 1 }

    public abstract class RayPerceptionSensorComponentBase : SensorComponent
    {
        public string SensorName { get; set; }
        public List<string> DetectableTags { get; set; }
        public int RaysPerDirection { get; set; }
        public float MaxRayDegrees { get; set; }
        public float SphereCastRadius { get; set; }
        public float RayLength { get; set; }
        public LayerMask RayLayerMask { get; set; }
        public int ObservationStacks { get; set; }
        public bool AlternatingRayOrder { get; set; }
        public bool UseBatchedRaycasts { get; set; }
        public abstract RayPerceptionCastType GetCastType();
        public override ISensor[] CreateSensors() { throw null; }
    }

    public class RayPerceptionSensorComponent3D : RayPerceptionSensorComponentBase
    {
        public float StartVerticalOffset { get; set; }
        public float EndVerticalOffset { get; set; }
        public override RayPerceptionCastType GetCastType() { throw null; }
    }

    public class RayPerceptionSensorComponent2D : RayPerceptionSensorComponentBase
    {
        public override RayPerceptionCastType GetCastType() { throw null; }
    }

    public class CameraSensorComponent : SensorComponent
    {
        public Camera Camera { get; set; }
        public string SensorName { get; set; }
        public int Width { get; set; }
        public int Height { get; set; }
        public bool Grayscale { get; set; }
        public int ObservationStacks { get; set; }
        public SensorCompressionType CompressionType { get; set; }
        public ObservationType ObservationType { get; set; }
        public override ISensor[] CreateSensors() { throw null; }
    }

    public class RenderTextureSensorComponent : SensorComponent
    {
        public RenderTexture RenderTexture { get; set; }
        public string SensorName { get; set; }
        public bool Grayscale { get; set; }
        public override ISensor[] CreateSensors() { throw null; }
    }

    public class BufferSensorComponent : SensorComponent
    {
        public string SensorName { get; set; }
        public int ObservableSize { get; set; }
        public int MaxNumObservables { get; set; }
        public void AppendObservation(float[] obs) { throw null; }
        public override ISensor[] CreateSensors() { throw null; }
    }
}

namespace Unity.MLAgents.Sensors.Reflection
{
    [AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
    public class ObservableAttribute : Attribute
    {
        public ObservableAttribute(string name = null, int numStackedObservations = 1) { }
    }
}

namespace Unity.MLAgents.Policies
{
    public enum BehaviorType { Default = 0, HeuristicOnly = 1, InferenceOnly = 2 }
    public enum InferenceDevice { Default = 0, ComputeShader = 1, Burst = 2, PixelShader = 3 }
    public enum ObservableAttributeOptions { Ignore = 0, ExcludeInherited = 1, ExamineAll = 2 }

    [Serializable]
    public class BrainParameters
    {
        public int VectorObservationSize = 1;
        [Range(1, 50)] public int NumStackedVectorObservations = 1;
        public ActionSpec ActionSpec { get; set; }
        public string[] VectorActionDescriptions;
        public BrainParameters Clone() { throw null; }
    }

    [AddComponentMenu("ML Agents/Behavior Parameters", 1)]
    public class BehaviorParameters : MonoBehaviour
    {
        public BrainParameters BrainParameters { get; set; }
        public Unity.Sentis.ModelAsset Model { get; set; }
        public InferenceDevice InferenceDevice { get; set; }
        public BehaviorType BehaviorType { get; set; }
        public string BehaviorName { get; set; }
        public int TeamId { get; set; }
        public bool UseChildSensors { get; set; }
        public bool UseChildActuators { get; set; }
        public bool DeterministicInference { get; set; }
        public ObservableAttributeOptions ObservableAttributeHandling { get; set; }
        public string FullyQualifiedBehaviorName { get { throw null; } }
        public bool IsInHeuristicMode() { throw null; }
    }
}

namespace Unity.MLAgents.Demonstrations
{
    [RequireComponent(typeof(Agent))]
    [AddComponentMenu("ML Agents/Demonstration Recorder", 3)]
    public class DemonstrationRecorder : MonoBehaviour
    {
        public bool Record;
        public int NumStepsToRecord;
        public string DemonstrationName;
        public string DemonstrationDirectory;
        public void Close() { throw null; }
    }
}

namespace Unity.MLAgents.SideChannels
{
    public class IncomingMessage : IDisposable
    {
        public bool ReadBoolean(bool defaultValue = false) { throw null; }
        public int ReadInt32(int defaultValue = 0) { throw null; }
        public float ReadFloat32(float defaultValue = 0f) { throw null; }
        public string ReadString(string defaultValue = default(string)) { throw null; }
        public IList<float> ReadFloatList(IList<float> defaultValue = default(IList<float>)) { throw null; }
        public byte[] GetRawBytes() { throw null; }
        public void Dispose() { throw null; }
    }

    public class OutgoingMessage : IDisposable
    {
        public void WriteBoolean(bool b) { throw null; }
        public void WriteInt32(int i) { throw null; }
        public void WriteFloat32(float f) { throw null; }
        public void WriteString(string s) { throw null; }
        public void WriteFloatList(IList<float> floatList) { throw null; }
        public void SetRawBytes(byte[] data) { throw null; }
        public void Dispose() { throw null; }
    }

    public abstract class SideChannel
    {
        public Guid ChannelId { get; protected set; }
        protected abstract void OnMessageReceived(IncomingMessage msg);
        protected void QueueMessageToSend(OutgoingMessage msg) { throw null; }
    }

    public static class SideChannelManager
    {
        public static void RegisterSideChannel(SideChannel sideChannel) { throw null; }
        public static void UnregisterSideChannel(SideChannel sideChannel) { throw null; }
    }
}
