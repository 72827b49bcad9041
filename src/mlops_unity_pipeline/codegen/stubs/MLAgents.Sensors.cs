// Compile-only stubs of com.unity.ml-agents 3.0.0: the Unity.MLAgents.Sensors and .Sensors.Reflection namespaces.
// Public surface read from needle-mirror/com.unity.ml-agents@b1c6584 (3.0.0), Runtime/Sensors/**/*.cs;
// the member list is pinned by tests/codegen/data/mlagents_api_3.0.0.json (scripts/extract_mlagents_api.py).
// Our own declarations: bodies throw, except where noted for the Mono physics tests.
#pragma warning disable 0067, 0649
using System;
using System.Collections.Generic;
using UnityEngine;

namespace Unity.MLAgents.Sensors
{
    public class BufferSensor : ISensor
    {
        public BufferSensor(int maxNumberObs, int obsSize, string name) { throw null; }
        public void AppendObservation(float[] obs) { throw null; }
        public BuiltInSensorType GetBuiltInSensorType() { throw null; }
        public virtual byte[] GetCompressedObservation() { throw null; }
        public CompressionSpec GetCompressionSpec() { throw null; }
        public string GetName() { throw null; }
        public ObservationSpec GetObservationSpec() { throw null; }
        public void Reset() { throw null; }
        public void Update() { throw null; }
        public int Write(ObservationWriter writer) { throw null; }
    }

    public class BufferSensorComponent : SensorComponent
    {
        public void AppendObservation(float[] obs) { throw null; }
        public override ISensor[] CreateSensors() { throw null; }
        public int MaxNumObservables { get { throw null; } set { throw null; } }
        public int ObservableSize { get { throw null; } set { throw null; } }
        public string SensorName { get { throw null; } set { throw null; } }
    }

    public enum BuiltInSensorType
    {
        Unknown = 0,
        VectorSensor = 1,
        StackingSensor = 2,
        RayPerceptionSensor = 3,
        ReflectionSensor = 4,
        CameraSensor = 5,
        RenderTextureSensor = 6,
        BufferSensor = 7,
        PhysicsBodySensor = 8,
        Match3Sensor = 9,
        GridSensor = 10,
    }

    public class CameraSensor : ISensor, IDisposable
    {
        public CameraSensor(Camera camera, int width, int height, bool grayscale, string name, SensorCompressionType compression, ObservationType observationType = ObservationType.Default) { throw null; }
        public void Dispose() { throw null; }
        public BuiltInSensorType GetBuiltInSensorType() { throw null; }
        public byte[] GetCompressedObservation() { throw null; }
        public CompressionSpec GetCompressionSpec() { throw null; }
        public string GetName() { throw null; }
        public ObservationSpec GetObservationSpec() { throw null; }
        public static void ObservationToTexture(Camera obsCamera, Texture2D texture2D, int width, int height) { throw null; }
        public void Reset() { throw null; }
        public void Update() { throw null; }
        public int Write(ObservationWriter writer) { throw null; }
        public Camera Camera { get { throw null; } set { throw null; } }
        public SensorCompressionType CompressionType { get { throw null; } set { throw null; } }
    }

    public class CameraSensorComponent : SensorComponent, IDisposable
    {
        public override ISensor[] CreateSensors() { throw null; }
        public void Dispose() { throw null; }
        public Camera Camera { get { throw null; } set { throw null; } }
        public SensorCompressionType CompressionType { get { throw null; } set { throw null; } }
        public bool Grayscale { get { throw null; } set { throw null; } }
        public int Height { get { throw null; } set { throw null; } }
        public int ObservationStacks { get { throw null; } set { throw null; } }
        public ObservationType ObservationType { get { throw null; } set { throw null; } }
        public bool RuntimeCameraEnable { get { throw null; } set { throw null; } }
        public string SensorName { get { throw null; } set { throw null; } }
        public int Width { get { throw null; } set { throw null; } }
    }

    public struct CompressionSpec
    {
        public CompressionSpec(SensorCompressionType sensorCompressionType, int[] compressedChannelMapping = null) { throw null; }
        public static CompressionSpec Default() { throw null; }
        public int[] CompressedChannelMapping { get { throw null; } }
        public SensorCompressionType SensorCompressionType { get { throw null; } }
    }

    [Flags] public enum DimensionProperty
    {
        Unspecified = 0,
        None = 1,
        TranslationalEquivariance = 2,
        VariableSize = 4,
    }

    public class GridSensorBase : ISensor, IDisposable
    {
        public GridSensorBase(string name, Vector3 cellScale, Vector3Int gridSize, string[] detectableTags, SensorCompressionType compression) { throw null; }
        public void Dispose() { throw null; }
        public BuiltInSensorType GetBuiltInSensorType() { throw null; }
        protected virtual int GetCellObservationSize() { throw null; }
        public byte[] GetCompressedObservation() { throw null; }
        public CompressionSpec GetCompressionSpec() { throw null; }
        public string GetName() { throw null; }
        protected virtual void GetObjectData(GameObject detectedObject, int tagIndex, float[] dataBuffer) { throw null; }
        public ObservationSpec GetObservationSpec() { throw null; }
        protected internal virtual ProcessCollidersMethod GetProcessCollidersMethod() { throw null; }
        protected virtual bool IsDataNormalized() { throw null; }
        public void Reset() { throw null; }
        public void ResetPerceptionBuffer() { throw null; }
        public void Update() { throw null; }
        public int Write(ObservationWriter writer) { throw null; }
        public SensorCompressionType CompressionType { get { throw null; } set { throw null; } }
        protected string[] DetectableTags { get { throw null; } }
    }

    public class GridSensorComponent : SensorComponent
    {
        protected internal string m_SensorName;
        public override ISensor[] CreateSensors() { throw null; }
        protected virtual GridSensorBase[] GetGridSensors() { throw null; }
        public GameObject AgentGameObject { get { throw null; } set { throw null; } }
        public Vector3 CellScale { get { throw null; } set { throw null; } }
        public LayerMask ColliderMask { get { throw null; } set { throw null; } }
        public SensorCompressionType CompressionType { get { throw null; } set { throw null; } }
        public Color[] DebugColors { get { throw null; } set { throw null; } }
        public string[] DetectableTags { get { throw null; } set { throw null; } }
        public float GizmoYOffset { get { throw null; } set { throw null; } }
        public Vector3Int GridSize { get { throw null; } set { throw null; } }
        public int InitialColliderBufferSize { get { throw null; } set { throw null; } }
        public int MaxColliderBufferSize { get { throw null; } set { throw null; } }
        public int ObservationStacks { get { throw null; } set { throw null; } }
        public bool RotateWithAgent { get { throw null; } set { throw null; } }
        public string SensorName { get { throw null; } set { throw null; } }
        public bool ShowGizmos { get { throw null; } set { throw null; } }
    }

    public interface ISensor
    {
        byte[] GetCompressedObservation();
        CompressionSpec GetCompressionSpec();
        string GetName();
        ObservationSpec GetObservationSpec();
        void Reset();
        void Update();
        int Write(ObservationWriter writer);
    }

    public struct ObservationSpec
    {
        public ObservationSpec(InplaceArray<int> shape, InplaceArray<DimensionProperty> dimensionProperties, ObservationType observationType = ObservationType.Default) { throw null; }
        public static ObservationSpec VariableLength(int obsSize, int maxNumObs) { throw null; }
        public static ObservationSpec Vector(int length, ObservationType obsType = ObservationType.Default) { throw null; }
        public static ObservationSpec Visual(int channels, int height, int width, ObservationType obsType = ObservationType.Default) { throw null; }
        public InplaceArray<DimensionProperty> DimensionProperties { get { throw null; } }
        public ObservationType ObservationType { get { throw null; } }
        public int Rank { get { throw null; } }
        public InplaceArray<int> Shape { get { throw null; } }
    }

    public enum ObservationType
    {
        Default = 0,
        GoalSignal = 1,
    }

    public class ObservationWriter
    {
        public ObservationWriter() { throw null; }
        public float this[int ch, int h, int w] { set { throw null; } }
        public float this[int ch, int w] { set { throw null; } }
        public float this[int index] { set { throw null; } }
        public void Add(Quaternion quat, int writeOffset = 0) { throw null; }
        public void Add(Vector3 vec, int writeOffset = 0) { throw null; }
        public void Add(Vector4 vec, int writeOffset = 0) { throw null; }
        public void AddList(IList<float> data, int writeOffset = 0) { throw null; }
    }

    public static class ObservationWriterExtension
    {
        public static int WriteTexture(this ObservationWriter obsWriter, Texture2D texture, bool grayScale) { throw null; }
    }

    public class OneHotGridSensor : GridSensorBase
    {
        public OneHotGridSensor(string name, Vector3 cellScale, Vector3Int gridSize, string[] detectableTags, SensorCompressionType compression)
            : base(name, cellScale, gridSize, detectableTags, compression) { }
        protected override int GetCellObservationSize() { throw null; }
        protected override void GetObjectData(GameObject detectedObject, int tagIndex, float[] dataBuffer) { throw null; }
        protected internal override ProcessCollidersMethod GetProcessCollidersMethod() { throw null; }
        protected override bool IsDataNormalized() { throw null; }
    }

    public enum ProcessCollidersMethod
    {
        ProcessAllColliders = 0,
        ProcessClosestColliders = 1,
    }

    public enum RayPerceptionCastType
    {
        Cast2D = 0,
        Cast3D = 1,
    }

    public struct RayPerceptionInput
    {
        public IReadOnlyList<float> Angles;
        public float CastRadius;
        public RayPerceptionCastType CastType;
        public IReadOnlyList<string> DetectableTags;
        public float EndOffset;
        public int LayerMask;
        public float RayLength;
        public float StartOffset;
        public Transform Transform;
        public bool UseBatchedRaycasts;
        public int OutputSize() { throw null; }
        public (Vector3 StartPositionWorld, Vector3 EndPositionWorld) RayExtents(int rayIndex) { throw null; }
    }

    public class RayPerceptionOutput
    {
        public RayOutput[] RayOutputs;
        public struct RayOutput
        {
            public Vector3 EndPositionWorld;
            public bool HasHit;
            public float HitFraction;
            public GameObject HitGameObject;
            public int HitTagIndex;
            public bool HitTaggedObject;
            public float ScaledCastRadius;
            public Vector3 StartPositionWorld;
            public void ToFloatArray(int numDetectableTags, int rayIndex, float[] buffer) { throw null; }
            public float ScaledRayLength { get { throw null; } }
        }
    }

    public class RayPerceptionSensor : ISensor
    {
        public RayPerceptionSensor(string name, RayPerceptionInput rayInput) { throw null; }
        public BuiltInSensorType GetBuiltInSensorType() { throw null; }
        public virtual byte[] GetCompressedObservation() { throw null; }
        public CompressionSpec GetCompressionSpec() { throw null; }
        public string GetName() { throw null; }
        public ObservationSpec GetObservationSpec() { throw null; }
        public static RayPerceptionOutput Perceive(RayPerceptionInput input, bool batched) { throw null; }
        public void Reset() { throw null; }
        public void Update() { throw null; }
        public int Write(ObservationWriter writer) { throw null; }
        public RayPerceptionOutput RayPerceptionOutput { get { throw null; } }
    }

    public class RayPerceptionSensorComponent2D : RayPerceptionSensorComponentBase
    {
        public override RayPerceptionCastType GetCastType() { throw null; }
    }

    public class RayPerceptionSensorComponent3D : RayPerceptionSensorComponentBase
    {
        public override RayPerceptionCastType GetCastType() { throw null; }
        public override float GetEndVerticalOffset() { throw null; }
        public override float GetStartVerticalOffset() { throw null; }
        public float EndVerticalOffset { get { throw null; } set { throw null; } }
        public float StartVerticalOffset { get { throw null; } set { throw null; } }
    }

    public abstract class RayPerceptionSensorComponentBase : SensorComponent
    {
        public bool m_AlternatingRayOrder;
        public bool m_UseBatchedRaycasts;
        public override ISensor[] CreateSensors() { throw null; }
        public abstract RayPerceptionCastType GetCastType();
        public virtual float GetEndVerticalOffset() { throw null; }
        public RayPerceptionInput GetRayPerceptionInput() { throw null; }
        public virtual float GetStartVerticalOffset() { throw null; }
        public bool AlternatingRayOrder { get { throw null; } set { throw null; } }
        public List<string> DetectableTags { get { throw null; } set { throw null; } }
        public float MaxRayDegrees { get { throw null; } set { throw null; } }
        public int ObservationStacks { get { throw null; } set { throw null; } }
        public LayerMask RayLayerMask { get { throw null; } set { throw null; } }
        public float RayLength { get { throw null; } set { throw null; } }
        public RayPerceptionSensor RaySensor { get { throw null; } }
        public int RaysPerDirection { get { throw null; } set { throw null; } }
        public string SensorName { get { throw null; } set { throw null; } }
        public float SphereCastRadius { get { throw null; } set { throw null; } }
        public bool UseBatchedRaycasts { get { throw null; } set { throw null; } }
    }

    public class RenderTextureSensor : ISensor, IDisposable
    {
        public RenderTextureSensor(RenderTexture renderTexture, bool grayscale, string name, SensorCompressionType compressionType) { throw null; }
        public void Dispose() { throw null; }
        public BuiltInSensorType GetBuiltInSensorType() { throw null; }
        public byte[] GetCompressedObservation() { throw null; }
        public CompressionSpec GetCompressionSpec() { throw null; }
        public string GetName() { throw null; }
        public ObservationSpec GetObservationSpec() { throw null; }
        public static void ObservationToTexture(RenderTexture obsTexture, Texture2D texture2D) { throw null; }
        public void Reset() { throw null; }
        public void Update() { throw null; }
        public int Write(ObservationWriter writer) { throw null; }
        public SensorCompressionType CompressionType { get { throw null; } set { throw null; } }
    }

    public class RenderTextureSensorComponent : SensorComponent, IDisposable
    {
        public override ISensor[] CreateSensors() { throw null; }
        public void Dispose() { throw null; }
        public SensorCompressionType CompressionType { get { throw null; } set { throw null; } }
        public bool Grayscale { get { throw null; } set { throw null; } }
        public int ObservationStacks { get { throw null; } set { throw null; } }
        public RenderTexture RenderTexture { get { throw null; } set { throw null; } }
        public string SensorName { get { throw null; } set { throw null; } }
    }

    public abstract class SensorComponent : MonoBehaviour
    {
        public abstract ISensor[] CreateSensors();
    }

    public enum SensorCompressionType
    {
        None = 0,
        PNG = 1,
    }

    public static class SensorExtensions
    {
        public static int ObservationSize(this ISensor sensor) { throw null; }
    }

    public static class SensorHelper
    {
        public static bool CompareObservation(ISensor sensor, float[,,] expected, out string errorMessage) { throw null; }
        public static bool CompareObservation(ISensor sensor, float[] expected, out string errorMessage) { throw null; }
    }

    public class SensorShapeValidator
    {
        public void ValidateSensors(List<ISensor> sensors) { throw null; }
    }

    public class StackingSensor : ISensor
    {
        public StackingSensor(ISensor wrapped, int numStackedObservations) { throw null; }
        public BuiltInSensorType GetBuiltInSensorType() { throw null; }
        public byte[] GetCompressedObservation() { throw null; }
        public CompressionSpec GetCompressionSpec() { throw null; }
        public string GetName() { throw null; }
        public ObservationSpec GetObservationSpec() { throw null; }
        public void Reset() { throw null; }
        public void Update() { throw null; }
        public int Write(ObservationWriter writer) { throw null; }
    }

    public class VectorSensor : ISensor
    {
        public VectorSensor(int observationSize, string name = null, ObservationType observationType = ObservationType.Default) { throw null; }
        public void AddObservation(IList<float> observation) { throw null; }
        public void AddObservation(Quaternion observation) { throw null; }
        public void AddObservation(Vector2 observation) { throw null; }
        public void AddObservation(Vector3 observation) { throw null; }
        public void AddObservation(bool observation) { throw null; }
        public void AddObservation(float observation) { throw null; }
        public void AddObservation(int observation) { throw null; }
        public void AddOneHotObservation(int observation, int range) { throw null; }
        public BuiltInSensorType GetBuiltInSensorType() { throw null; }
        public virtual byte[] GetCompressedObservation() { throw null; }
        public CompressionSpec GetCompressionSpec() { throw null; }
        public string GetName() { throw null; }
        public ObservationSpec GetObservationSpec() { throw null; }
        public void Reset() { throw null; }
        public void Update() { throw null; }
        public int Write(ObservationWriter writer) { throw null; }
    }

    public class VectorSensorComponent : SensorComponent
    {
        public override ISensor[] CreateSensors() { throw null; }
        public VectorSensor GetSensor() { throw null; }
        public int ObservationSize { get { throw null; } set { throw null; } }
        public int ObservationStacks { get { throw null; } set { throw null; } }
        public ObservationType ObservationType { get { throw null; } set { throw null; } }
        public string SensorName { get { throw null; } set { throw null; } }
    }
}

namespace Unity.MLAgents.Sensors.Reflection
{
    [AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)] public class ObservableAttribute : Attribute
    {
        public ObservableAttribute(string name = null, int numStackedObservations = 1) { throw null; }
    }
}
