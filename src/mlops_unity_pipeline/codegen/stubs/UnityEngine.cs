// Stubs of the UnityEngine API surface that agent and arena scripts use, written for mlops_unity_pipeline's
// type check from Unity's public scripting API names. Signatures only (bodies throw), except the vector math,
// Mathf and Component.transform, which work so that tests can run the generated physics under Mono against
// the simulator. Keep members faithful to Unity so hand-written agents compile unchanged.
#pragma warning disable 0067, 0108, 0114, 0414, 0649, 0660, 0661
using System;
using System.Collections;
using System.Collections.Generic;

namespace UnityEngine
{
    public class Object
    {
        public string name { get; set; }
        public HideFlags hideFlags { get; set; }
        public int GetInstanceID() { throw null; }
        public static void Destroy(Object obj) { throw null; }
        public static void Destroy(Object obj, float t) { throw null; }
        public static void DestroyImmediate(Object obj) { throw null; }
        public static void DontDestroyOnLoad(Object target) { throw null; }
        public static Object Instantiate(Object original) { throw null; }
        public static Object Instantiate(Object original, Vector3 position, Quaternion rotation) { throw null; }
        public static Object Instantiate(Object original, Transform parent) { throw null; }
        public static T Instantiate<T>(T original) where T : Object { throw null; }
        public static T Instantiate<T>(T original, Vector3 position, Quaternion rotation) where T : Object { throw null; }
        public static T Instantiate<T>(T original, Vector3 position, Quaternion rotation, Transform parent) where T : Object { throw null; }
        public static T Instantiate<T>(T original, Transform parent) where T : Object { throw null; }
        public static T FindObjectOfType<T>() where T : Object { throw null; }
        public static T[] FindObjectsOfType<T>() where T : Object { throw null; }
        public static T FindFirstObjectByType<T>() where T : Object { throw null; }
        public static T FindAnyObjectByType<T>() where T : Object { throw null; }
        public static implicit operator bool(Object exists) { throw null; }
        public static bool operator ==(Object x, Object y) { throw null; }
        public static bool operator !=(Object x, Object y) { throw null; }
        public override bool Equals(object other) { throw null; }
        public override int GetHashCode() { throw null; }
        public override string ToString() { throw null; }
    }

    [Flags]
    public enum HideFlags { None = 0, HideInHierarchy = 1, HideInInspector = 2, DontSaveInEditor = 4, NotEditable = 8, DontSave = 52, HideAndDontSave = 61 }

    public class Component : Object
    {
        Transform m_Transform;
        public GameObject gameObject { get { throw null; } }
        public Transform transform { get { return this as Transform ?? (m_Transform = m_Transform ?? new Transform()); } }
        public string tag { get; set; }
        public T GetComponent<T>() { throw null; }
        public Component GetComponent(Type type) { throw null; }
        public bool TryGetComponent<T>(out T component) { throw null; }
        public T GetComponentInChildren<T>() { throw null; }
        public T GetComponentInChildren<T>(bool includeInactive) { throw null; }
        public T[] GetComponentsInChildren<T>() { throw null; }
        public T[] GetComponentsInChildren<T>(bool includeInactive) { throw null; }
        public T GetComponentInParent<T>() { throw null; }
        public T[] GetComponents<T>() { throw null; }
        public bool CompareTag(string tag) { throw null; }
        public void SendMessage(string methodName) { throw null; }
    }

    public class Behaviour : Component
    {
        public bool enabled { get; set; }
        public bool isActiveAndEnabled { get { throw null; } }
    }

    public class YieldInstruction { }
    public sealed class Coroutine : YieldInstruction { }
    public sealed class WaitForSeconds : YieldInstruction { public WaitForSeconds(float seconds) { } }
    public sealed class WaitForFixedUpdate : YieldInstruction { }
    public sealed class WaitForEndOfFrame : YieldInstruction { }
    public class WaitForSecondsRealtime : IEnumerator
    {
        public WaitForSecondsRealtime(float time) { }
        public object Current { get { throw null; } }
        public bool MoveNext() { throw null; }
        public void Reset() { throw null; }
    }

    public class MonoBehaviour : Behaviour
    {
        public bool useGUILayout { get; set; }
        public Coroutine StartCoroutine(IEnumerator routine) { throw null; }
        public Coroutine StartCoroutine(string methodName) { throw null; }
        public void StopCoroutine(Coroutine routine) { throw null; }
        public void StopCoroutine(IEnumerator routine) { throw null; }
        public void StopAllCoroutines() { throw null; }
        public void Invoke(string methodName, float time) { throw null; }
        public void InvokeRepeating(string methodName, float time, float repeatRate) { throw null; }
        public void CancelInvoke() { throw null; }
        public void CancelInvoke(string methodName) { throw null; }
        public bool IsInvoking(string methodName) { throw null; }
        public static void print(object message) { throw null; }
    }

    public interface ISerializationCallbackReceiver
    {
        void OnBeforeSerialize();
        void OnAfterDeserialize();
    }

    public class ScriptableObject : Object
    {
        public static T CreateInstance<T>() where T : ScriptableObject { throw null; }
    }

    public enum PrimitiveType { Sphere = 0, Capsule = 1, Cylinder = 2, Cube = 3, Plane = 4, Quad = 5 }
    public enum Space { World = 0, Self = 1 }
    public enum SendMessageOptions { RequireReceiver = 0, DontRequireReceiver = 1 }

    public sealed class GameObject : Object
    {
        public GameObject() { }
        public GameObject(string name) { }
        public GameObject(string name, params Type[] components) { }
        public Transform transform { get { throw null; } }
        public GameObject gameObject { get { throw null; } }
        public string tag { get; set; }
        public int layer { get; set; }
        public bool isStatic { get; set; }
        public bool activeSelf { get { throw null; } }
        public bool activeInHierarchy { get { throw null; } }
        public SceneManagement.Scene scene { get { throw null; } }
        public void SetActive(bool value) { throw null; }
        public T AddComponent<T>() where T : Component { throw null; }
        public Component AddComponent(Type componentType) { throw null; }
        public T GetComponent<T>() { throw null; }
        public Component GetComponent(Type type) { throw null; }
        public bool TryGetComponent<T>(out T component) { throw null; }
        public T GetComponentInChildren<T>() { throw null; }
        public T GetComponentInChildren<T>(bool includeInactive) { throw null; }
        public T[] GetComponentsInChildren<T>() { throw null; }
        public T[] GetComponentsInChildren<T>(bool includeInactive) { throw null; }
        public T GetComponentInParent<T>() { throw null; }
        public T[] GetComponents<T>() { throw null; }
        public bool CompareTag(string tag) { throw null; }
        public void SendMessage(string methodName, object value, SendMessageOptions options) { throw null; }
        public static GameObject CreatePrimitive(PrimitiveType type) { throw null; }
        public static GameObject Find(string name) { throw null; }
        public static GameObject FindWithTag(string tag) { throw null; }
        public static GameObject FindGameObjectWithTag(string tag) { throw null; }
        public static GameObject[] FindGameObjectsWithTag(string tag) { throw null; }
    }

    public class Transform : Component, IEnumerable
    {
        public Vector3 position { get; set; }
        public Vector3 localPosition { get; set; }
        public Quaternion rotation { get; set; }
        public Quaternion localRotation { get; set; }
        public Vector3 eulerAngles { get; set; }
        public Vector3 localEulerAngles { get; set; }
        public Vector3 localScale { get; set; }
        public Vector3 lossyScale { get { throw null; } }
        public Transform parent { get; set; }
        public Transform root { get { throw null; } }
        public Vector3 forward { get; set; }
        public Vector3 right { get; set; }
        public Vector3 up { get; set; }
        public int childCount { get { throw null; } }
        public Matrix4x4 localToWorldMatrix { get { throw null; } }
        public Matrix4x4 worldToLocalMatrix { get { throw null; } }
        public void SetParent(Transform parent) { throw null; }
        public void SetParent(Transform parent, bool worldPositionStays) { throw null; }
        public void SetPositionAndRotation(Vector3 position, Quaternion rotation) { throw null; }
        public void Translate(Vector3 translation) { throw null; }
        public void Translate(Vector3 translation, Space relativeTo) { throw null; }
        public void Translate(float x, float y, float z) { throw null; }
        public void Rotate(Vector3 eulers) { throw null; }
        public void Rotate(Vector3 eulers, Space relativeTo) { throw null; }
        public void Rotate(float xAngle, float yAngle, float zAngle) { throw null; }
        public void Rotate(Vector3 axis, float angle) { throw null; }
        public void Rotate(Vector3 axis, float angle, Space relativeTo) { throw null; }
        public void RotateAround(Vector3 point, Vector3 axis, float angle) { throw null; }
        public void LookAt(Transform target) { throw null; }
        public void LookAt(Vector3 worldPosition) { throw null; }
        public void LookAt(Vector3 worldPosition, Vector3 worldUp) { throw null; }
        public Vector3 TransformDirection(Vector3 direction) { throw null; }
        public Vector3 InverseTransformDirection(Vector3 direction) { throw null; }
        public Vector3 TransformPoint(Vector3 position) { throw null; }
        public Vector3 InverseTransformPoint(Vector3 position) { throw null; }
        public Vector3 TransformVector(Vector3 vector) { throw null; }
        public Vector3 InverseTransformVector(Vector3 vector) { throw null; }
        public Transform GetChild(int index) { throw null; }
        public Transform Find(string n) { throw null; }
        public void SetSiblingIndex(int index) { throw null; }
        public void DetachChildren() { throw null; }
        public bool IsChildOf(Transform parent) { throw null; }
        public IEnumerator GetEnumerator() { throw null; }
    }

    public struct Vector2
    {
        public float x;
        public float y;
        public Vector2(float x, float y) { this.x = x; this.y = y; }
        public float this[int index] { get { throw null; } set { throw null; } }
        public static Vector2 zero { get { return new Vector2(0f, 0f); } }
        public static Vector2 one { get { return new Vector2(1f, 1f); } }
        public static Vector2 up { get { return new Vector2(0f, 1f); } }
        public static Vector2 down { get { return new Vector2(0f, -1f); } }
        public static Vector2 left { get { return new Vector2(-1f, 0f); } }
        public static Vector2 right { get { return new Vector2(1f, 0f); } }
        public float magnitude { get { return (float)Math.Sqrt(x * x + y * y); } }
        public float sqrMagnitude { get { return x * x + y * y; } }
        public Vector2 normalized { get { float m = magnitude; return m > 1e-5f ? this / m : zero; } }
        public void Normalize() { throw null; }
        public void Set(float newX, float newY) { throw null; }
        public static float Distance(Vector2 a, Vector2 b) { return (a - b).magnitude; }
        public static float Dot(Vector2 lhs, Vector2 rhs) { return lhs.x * rhs.x + lhs.y * rhs.y; }
        public static float Angle(Vector2 from, Vector2 to) { throw null; }
        public static float SignedAngle(Vector2 from, Vector2 to) { throw null; }
        public static Vector2 Lerp(Vector2 a, Vector2 b, float t) { throw null; }
        public static Vector2 MoveTowards(Vector2 current, Vector2 target, float maxDistanceDelta) { throw null; }
        public static Vector2 ClampMagnitude(Vector2 vector, float maxLength) { throw null; }
        public static Vector2 Perpendicular(Vector2 inDirection) { throw null; }
        public static Vector2 Min(Vector2 lhs, Vector2 rhs) { throw null; }
        public static Vector2 Max(Vector2 lhs, Vector2 rhs) { throw null; }
        public static Vector2 operator +(Vector2 a, Vector2 b) { return new Vector2(a.x + b.x, a.y + b.y); }
        public static Vector2 operator -(Vector2 a, Vector2 b) { return new Vector2(a.x - b.x, a.y - b.y); }
        public static Vector2 operator -(Vector2 a) { return new Vector2(-a.x, -a.y); }
        public static Vector2 operator *(Vector2 a, float d) { return new Vector2(a.x * d, a.y * d); }
        public static Vector2 operator *(float d, Vector2 a) { return new Vector2(a.x * d, a.y * d); }
        public static Vector2 operator *(Vector2 a, Vector2 b) { return new Vector2(a.x * b.x, a.y * b.y); }
        public static Vector2 operator /(Vector2 a, float d) { return new Vector2(a.x / d, a.y / d); }
        public static bool operator ==(Vector2 lhs, Vector2 rhs) { throw null; }
        public static bool operator !=(Vector2 lhs, Vector2 rhs) { throw null; }
        public static implicit operator Vector2(Vector3 v) { return new Vector2(v.x, v.y); }
        public static implicit operator Vector3(Vector2 v) { return new Vector3(v.x, v.y, 0f); }
        public override bool Equals(object other) { throw null; }
        public override int GetHashCode() { throw null; }
        public override string ToString() { throw null; }
    }

    public struct Vector2Int
    {
        public Vector2Int(int x, int y) : this() { }
        public int x { get; set; }
        public int y { get; set; }
        public static Vector2Int zero { get { throw null; } }
        public static Vector2Int one { get { throw null; } }
        public static Vector2Int up { get { throw null; } }
        public static Vector2Int down { get { throw null; } }
        public static Vector2Int left { get { throw null; } }
        public static Vector2Int right { get { throw null; } }
        public static Vector2Int operator +(Vector2Int a, Vector2Int b) { throw null; }
        public static Vector2Int operator -(Vector2Int a, Vector2Int b) { throw null; }
        public static bool operator ==(Vector2Int lhs, Vector2Int rhs) { throw null; }
        public static bool operator !=(Vector2Int lhs, Vector2Int rhs) { throw null; }
        public static implicit operator Vector2(Vector2Int v) { throw null; }
        public override bool Equals(object other) { throw null; }
        public override int GetHashCode() { throw null; }
    }

    public struct Vector3
    {
        public float x;
        public float y;
        public float z;
        public Vector3(float x, float y, float z) { this.x = x; this.y = y; this.z = z; }
        public Vector3(float x, float y) { this.x = x; this.y = y; this.z = 0f; }
        public float this[int index] { get { throw null; } set { throw null; } }
        public static Vector3 zero { get { return new Vector3(0f, 0f, 0f); } }
        public static Vector3 one { get { return new Vector3(1f, 1f, 1f); } }
        public static Vector3 up { get { return new Vector3(0f, 1f, 0f); } }
        public static Vector3 down { get { return new Vector3(0f, -1f, 0f); } }
        public static Vector3 left { get { return new Vector3(-1f, 0f, 0f); } }
        public static Vector3 right { get { return new Vector3(1f, 0f, 0f); } }
        public static Vector3 forward { get { return new Vector3(0f, 0f, 1f); } }
        public static Vector3 back { get { return new Vector3(0f, 0f, -1f); } }
        public float magnitude { get { return (float)Math.Sqrt(x * x + y * y + z * z); } }
        public float sqrMagnitude { get { return x * x + y * y + z * z; } }
        public Vector3 normalized { get { float m = magnitude; return m > 1e-5f ? this / m : zero; } }
        public void Normalize() { throw null; }
        public void Set(float newX, float newY, float newZ) { throw null; }
        public static float Distance(Vector3 a, Vector3 b) { return (a - b).magnitude; }
        public static float Dot(Vector3 lhs, Vector3 rhs) { return lhs.x * rhs.x + lhs.y * rhs.y + lhs.z * rhs.z; }
        public static Vector3 Cross(Vector3 lhs, Vector3 rhs) { throw null; }
        public static float Angle(Vector3 from, Vector3 to) { throw null; }
        public static float SignedAngle(Vector3 from, Vector3 to, Vector3 axis) { throw null; }
        public static Vector3 Lerp(Vector3 a, Vector3 b, float t) { throw null; }
        public static Vector3 Slerp(Vector3 a, Vector3 b, float t) { throw null; }
        public static Vector3 MoveTowards(Vector3 current, Vector3 target, float maxDistanceDelta) { throw null; }
        public static Vector3 RotateTowards(Vector3 current, Vector3 target, float maxRadiansDelta, float maxMagnitudeDelta) { throw null; }
        public static Vector3 Scale(Vector3 a, Vector3 b) { throw null; }
        public static Vector3 ClampMagnitude(Vector3 vector, float maxLength) { throw null; }
        public static Vector3 Normalize(Vector3 value) { throw null; }
        public static Vector3 Project(Vector3 vector, Vector3 onNormal) { throw null; }
        public static Vector3 ProjectOnPlane(Vector3 vector, Vector3 planeNormal) { throw null; }
        public static Vector3 Reflect(Vector3 inDirection, Vector3 inNormal) { throw null; }
        public static Vector3 Min(Vector3 lhs, Vector3 rhs) { throw null; }
        public static Vector3 Max(Vector3 lhs, Vector3 rhs) { throw null; }
        public static float Magnitude(Vector3 vector) { throw null; }
        public static Vector3 operator +(Vector3 a, Vector3 b) { return new Vector3(a.x + b.x, a.y + b.y, a.z + b.z); }
        public static Vector3 operator -(Vector3 a, Vector3 b) { return new Vector3(a.x - b.x, a.y - b.y, a.z - b.z); }
        public static Vector3 operator -(Vector3 a) { return new Vector3(-a.x, -a.y, -a.z); }
        public static Vector3 operator *(Vector3 a, float d) { return new Vector3(a.x * d, a.y * d, a.z * d); }
        public static Vector3 operator *(float d, Vector3 a) { return new Vector3(a.x * d, a.y * d, a.z * d); }
        public static Vector3 operator /(Vector3 a, float d) { return new Vector3(a.x / d, a.y / d, a.z / d); }
        public static bool operator ==(Vector3 lhs, Vector3 rhs) { throw null; }
        public static bool operator !=(Vector3 lhs, Vector3 rhs) { throw null; }
        public override bool Equals(object other) { throw null; }
        public override int GetHashCode() { throw null; }
        public override string ToString() { throw null; }
    }

    public struct Vector3Int
    {
        public Vector3Int(int x, int y, int z) : this() { }
        public int x { get; set; }
        public int y { get; set; }
        public int z { get; set; }
        public static Vector3Int zero { get { throw null; } }
        public static implicit operator Vector3(Vector3Int v) { throw null; }
    }

    public struct Vector4
    {
        public float x;
        public float y;
        public float z;
        public float w;
        public Vector4(float x, float y, float z, float w) { this.x = x; this.y = y; this.z = z; this.w = w; }
    }

    public struct Matrix4x4
    {
        public static Matrix4x4 identity { get { throw null; } }
        public Vector3 MultiplyPoint3x4(Vector3 point) { throw null; }
        public Vector3 MultiplyVector(Vector3 vector) { throw null; }
        public static Matrix4x4 TRS(Vector3 pos, Quaternion q, Vector3 s) { throw null; }
    }

    public struct Quaternion
    {
        public float x;
        public float y;
        public float z;
        public float w;
        public Quaternion(float x, float y, float z, float w) { this.x = x; this.y = y; this.z = z; this.w = w; }
        public static Quaternion identity { get { throw null; } }
        public Vector3 eulerAngles { get { throw null; } set { throw null; } }
        public Quaternion normalized { get { throw null; } }
        public static Quaternion Euler(float x, float y, float z) { throw null; }
        public static Quaternion Euler(Vector3 euler) { throw null; }
        public static Quaternion AngleAxis(float angle, Vector3 axis) { throw null; }
        public static Quaternion LookRotation(Vector3 forward) { throw null; }
        public static Quaternion LookRotation(Vector3 forward, Vector3 upwards) { throw null; }
        public static Quaternion FromToRotation(Vector3 fromDirection, Vector3 toDirection) { throw null; }
        public static Quaternion Slerp(Quaternion a, Quaternion b, float t) { throw null; }
        public static Quaternion Lerp(Quaternion a, Quaternion b, float t) { throw null; }
        public static Quaternion RotateTowards(Quaternion from, Quaternion to, float maxDegreesDelta) { throw null; }
        public static Quaternion Inverse(Quaternion rotation) { throw null; }
        public static float Angle(Quaternion a, Quaternion b) { throw null; }
        public static float Dot(Quaternion a, Quaternion b) { throw null; }
        public static Quaternion operator *(Quaternion lhs, Quaternion rhs) { throw null; }
        public static Vector3 operator *(Quaternion rotation, Vector3 point) { throw null; }
        public static bool operator ==(Quaternion lhs, Quaternion rhs) { throw null; }
        public static bool operator !=(Quaternion lhs, Quaternion rhs) { throw null; }
        public override bool Equals(object other) { throw null; }
        public override int GetHashCode() { throw null; }
    }

    public struct Mathf
    {
        public const float PI = 3.14159274F;
        public const float Infinity = float.PositiveInfinity;
        public const float NegativeInfinity = float.NegativeInfinity;
        public const float Deg2Rad = 0.0174532924F;
        public const float Rad2Deg = 57.29578F;
        public static readonly float Epsilon = 1.401298E-45F;
        public static float Abs(float f) { return Math.Abs(f); }
        public static int Abs(int value) { return Math.Abs(value); }
        public static float Clamp(float value, float min, float max) { return value < min ? min : value > max ? max : value; }
        public static int Clamp(int value, int min, int max) { return value < min ? min : value > max ? max : value; }
        public static float Clamp01(float value) { return Clamp(value, 0f, 1f); }
        public static float Min(float a, float b) { return a < b ? a : b; }
        public static float Min(params float[] values) { throw null; }
        public static int Min(int a, int b) { return a < b ? a : b; }
        public static int Min(params int[] values) { throw null; }
        public static float Max(float a, float b) { return a > b ? a : b; }
        public static float Max(params float[] values) { throw null; }
        public static int Max(int a, int b) { return a > b ? a : b; }
        public static int Max(params int[] values) { throw null; }
        public static float Sqrt(float f) { return (float)Math.Sqrt(f); }
        public static float Sin(float f) { return (float)Math.Sin(f); }
        public static float Cos(float f) { return (float)Math.Cos(f); }
        public static float Tan(float f) { return (float)Math.Tan(f); }
        public static float Asin(float f) { return (float)Math.Asin(f); }
        public static float Acos(float f) { return (float)Math.Acos(f); }
        public static float Atan(float f) { return (float)Math.Atan(f); }
        public static float Atan2(float y, float x) { return (float)Math.Atan2(y, x); }
        public static float Pow(float f, float p) { return (float)Math.Pow(f, p); }
        public static float Exp(float power) { return (float)Math.Exp(power); }
        public static float Log(float f) { throw null; }
        public static float Log(float f, float p) { throw null; }
        public static float Log10(float f) { throw null; }
        public static float Floor(float f) { return (float)Math.Floor(f); }
        public static float Ceil(float f) { return (float)Math.Ceiling(f); }
        public static float Round(float f) { throw null; }
        public static int FloorToInt(float f) { return (int)Math.Floor(f); }
        public static int CeilToInt(float f) { return (int)Math.Ceiling(f); }
        public static int RoundToInt(float f) { return (int)Math.Round(f); }
        public static float Sign(float f) { return f >= 0f ? 1f : -1f; }
        public static float Lerp(float a, float b, float t) { return a + (b - a) * Clamp01(t); }
        public static float LerpUnclamped(float a, float b, float t) { throw null; }
        public static float LerpAngle(float a, float b, float t) { throw null; }
        public static float InverseLerp(float a, float b, float value) { throw null; }
        public static float MoveTowards(float current, float target, float maxDelta) { throw null; }
        public static float MoveTowardsAngle(float current, float target, float maxDelta) { throw null; }
        public static float DeltaAngle(float current, float target) { throw null; }
        public static float SmoothStep(float from, float to, float t) { throw null; }
        public static float Repeat(float t, float length) { throw null; }
        public static float PingPong(float t, float length) { throw null; }
        public static bool Approximately(float a, float b) { throw null; }
    }

    public static class Random
    {
        public static int seed { get; set; }
        public static float value { get { throw null; } }
        public static Vector3 insideUnitSphere { get { throw null; } }
        public static Vector2 insideUnitCircle { get { throw null; } }
        public static Vector3 onUnitSphere { get { throw null; } }
        public static Quaternion rotation { get { throw null; } }
        public static float Range(float minInclusive, float maxInclusive) { throw null; }
        public static int Range(int minInclusive, int maxExclusive) { throw null; }
        public static void InitState(int seed) { throw null; }
    }

    public class Time
    {
        public static float time { get { throw null; } }
        public static float deltaTime { get { throw null; } }
        public static float fixedTime { get { throw null; } }
        public static float fixedDeltaTime { get; set; }
        public static float unscaledDeltaTime { get { throw null; } }
        public static float timeScale { get; set; }
        public static int frameCount { get { throw null; } }
        public static float realtimeSinceStartup { get { throw null; } }
        public static int captureFramerate { get; set; }
        public static float maximumDeltaTime { get; set; }
    }

    public class Debug
    {
        // Test harnesses run generated code on these stubs: logs go to stderr, as a player writes its log.
        public static void Log(object message) { System.Console.Error.WriteLine(message); }
        public static void Log(object message, Object context) { throw null; }
        public static void LogFormat(string format, params object[] args) { throw null; }
        public static void LogWarning(object message) { throw null; }
        public static void LogWarning(object message, Object context) { throw null; }
        public static void LogWarningFormat(string format, params object[] args) { throw null; }
        public static void LogError(object message) { throw null; }
        public static void LogError(object message, Object context) { throw null; }
        public static void LogErrorFormat(string format, params object[] args) { throw null; }
        public static void LogException(Exception exception) { throw null; }
        public static void DrawRay(Vector3 start, Vector3 dir) { throw null; }
        public static void DrawRay(Vector3 start, Vector3 dir, Color color) { throw null; }
        public static void DrawRay(Vector3 start, Vector3 dir, Color color, float duration) { throw null; }
        public static void DrawLine(Vector3 start, Vector3 end) { throw null; }
        public static void DrawLine(Vector3 start, Vector3 end, Color color) { throw null; }
        public static void DrawLine(Vector3 start, Vector3 end, Color color, float duration) { throw null; }
        public static void Assert(bool condition) { throw null; }
        public static void Assert(bool condition, object message) { throw null; }
    }

    public struct Color
    {
        public float r;
        public float g;
        public float b;
        public float a;
        public Color(float r, float g, float b) { this.r = r; this.g = g; this.b = b; this.a = 1f; }
        public Color(float r, float g, float b, float a) { this.r = r; this.g = g; this.b = b; this.a = a; }
        public static Color red { get { throw null; } }
        public static Color green { get { throw null; } }
        public static Color blue { get { throw null; } }
        public static Color white { get { throw null; } }
        public static Color black { get { throw null; } }
        public static Color yellow { get { throw null; } }
        public static Color cyan { get { throw null; } }
        public static Color magenta { get { throw null; } }
        public static Color gray { get { throw null; } }
        public static Color grey { get { throw null; } }
        public static Color clear { get { throw null; } }
        public static Color Lerp(Color a, Color b, float t) { throw null; }
        public static Color operator *(Color a, float b) { throw null; }
    }

    public struct Color32
    {
        public byte r;
        public byte g;
        public byte b;
        public byte a;
        public Color32(byte r, byte g, byte b, byte a) { this.r = r; this.g = g; this.b = b; this.a = a; }
    }

    public enum KeyCode
    {
        None = 0, Backspace = 8, Tab = 9, Return = 13, Escape = 27, Space = 32,
        Alpha0 = 48, Alpha1 = 49, Alpha2 = 50, Alpha3 = 51, Alpha4 = 52, Alpha5 = 53, Alpha6 = 54, Alpha7 = 55,
        Alpha8 = 56, Alpha9 = 57,
        A = 97, B = 98, C = 99, D = 100, E = 101, F = 102, G = 103, H = 104, I = 105, J = 106, K = 107, L = 108,
        M = 109, N = 110, O = 111, P = 112, Q = 113, R = 114, S = 115, T = 116, U = 117, V = 118, W = 119, X = 120,
        Y = 121, Z = 122,
        UpArrow = 273, DownArrow = 274, RightArrow = 275, LeftArrow = 276,
        RightShift = 303, LeftShift = 304, RightControl = 305, LeftControl = 306, Mouse0 = 323, Mouse1 = 324
    }

    public sealed class Input
    {
        public static Vector3 mousePosition { get { throw null; } }
        public static bool anyKey { get { throw null; } }
        public static bool anyKeyDown { get { throw null; } }
        public static float GetAxis(string axisName) { throw null; }
        public static float GetAxisRaw(string axisName) { throw null; }
        public static bool GetButton(string buttonName) { throw null; }
        public static bool GetButtonDown(string buttonName) { throw null; }
        public static bool GetButtonUp(string buttonName) { throw null; }
        public static bool GetKey(KeyCode key) { throw null; }
        public static bool GetKey(string name) { throw null; }
        public static bool GetKeyDown(KeyCode key) { throw null; }
        public static bool GetKeyDown(string name) { throw null; }
        public static bool GetKeyUp(KeyCode key) { throw null; }
        public static bool GetMouseButton(int button) { throw null; }
        public static bool GetMouseButtonDown(int button) { throw null; }
    }

    public enum ForceMode { Force = 0, Impulse = 1, VelocityChange = 2, Acceleration = 5 }
    public enum RigidbodyInterpolation { None = 0, Interpolate = 1, Extrapolate = 2 }
    public enum CollisionDetectionMode { Discrete = 0, Continuous = 1, ContinuousDynamic = 2, ContinuousSpeculative = 3 }

    [Flags]
    public enum RigidbodyConstraints
    {
        None = 0, FreezePositionX = 2, FreezePositionY = 4, FreezePositionZ = 8, FreezePosition = 14,
        FreezeRotationX = 16, FreezeRotationY = 32, FreezeRotationZ = 64, FreezeRotation = 112, FreezeAll = 126
    }

    public class Rigidbody : Component
    {
        public Vector3 velocity { get; set; }
        public Vector3 linearVelocity { get; set; }
        public Vector3 angularVelocity { get; set; }
        public float drag { get; set; }
        public float linearDamping { get; set; }
        public float angularDrag { get; set; }
        public float angularDamping { get; set; }
        public float mass { get; set; }
        public bool useGravity { get; set; }
        public bool isKinematic { get; set; }
        public bool freezeRotation { get; set; }
        public bool detectCollisions { get; set; }
        public float maxAngularVelocity { get; set; }
        public RigidbodyConstraints constraints { get; set; }
        public RigidbodyInterpolation interpolation { get; set; }
        public CollisionDetectionMode collisionDetectionMode { get; set; }
        public Vector3 position { get; set; }
        public Quaternion rotation { get; set; }
        public Vector3 centerOfMass { get; set; }
        public Vector3 worldCenterOfMass { get { throw null; } }
        public void AddForce(Vector3 force) { throw null; }
        public void AddForce(Vector3 force, ForceMode mode) { throw null; }
        public void AddForce(float x, float y, float z) { throw null; }
        public void AddForce(float x, float y, float z, ForceMode mode) { throw null; }
        public void AddRelativeForce(Vector3 force) { throw null; }
        public void AddRelativeForce(Vector3 force, ForceMode mode) { throw null; }
        public void AddTorque(Vector3 torque) { throw null; }
        public void AddTorque(Vector3 torque, ForceMode mode) { throw null; }
        public void AddRelativeTorque(Vector3 torque) { throw null; }
        public void AddRelativeTorque(Vector3 torque, ForceMode mode) { throw null; }
        public void AddForceAtPosition(Vector3 force, Vector3 position) { throw null; }
        public void AddForceAtPosition(Vector3 force, Vector3 position, ForceMode mode) { throw null; }
        public void AddExplosionForce(float explosionForce, Vector3 explosionPosition, float explosionRadius) { throw null; }
        public void MovePosition(Vector3 position) { throw null; }
        public void MoveRotation(Quaternion rot) { throw null; }
        public Vector3 GetPointVelocity(Vector3 worldPoint) { throw null; }
        public void Sleep() { throw null; }
        public void WakeUp() { throw null; }
        public bool IsSleeping() { throw null; }
    }

    public struct Bounds
    {
        public Bounds(Vector3 center, Vector3 size) : this() { }
        public Vector3 center { get; set; }
        public Vector3 size { get; set; }
        public Vector3 extents { get; set; }
        public Vector3 min { get; set; }
        public Vector3 max { get; set; }
        public bool Contains(Vector3 point) { throw null; }
        public bool Intersects(Bounds bounds) { throw null; }
        public void Encapsulate(Vector3 point) { throw null; }
        public Vector3 ClosestPoint(Vector3 point) { throw null; }
    }

    public enum PhysicMaterialCombine { Average = 0, Minimum = 2, Multiply = 1, Maximum = 3 }

    public class PhysicMaterial : Object
    {
        public PhysicMaterial() { }
        public PhysicMaterial(string name) { }
        public float dynamicFriction { get; set; }
        public float staticFriction { get; set; }
        public float bounciness { get; set; }
        public PhysicMaterialCombine frictionCombine { get; set; }
        public PhysicMaterialCombine bounceCombine { get; set; }
    }

    public class PhysicsMaterial : PhysicMaterial
    {
        public PhysicsMaterial() { }
        public PhysicsMaterial(string name) { }
    }

    public class Collider : Component
    {
        public bool enabled { get; set; }
        public bool isTrigger { get; set; }
        public Bounds bounds { get { throw null; } }
        public Rigidbody attachedRigidbody { get { throw null; } }
        public PhysicMaterial material { get; set; }
        public PhysicMaterial sharedMaterial { get; set; }
        public Vector3 ClosestPoint(Vector3 position) { throw null; }
        public bool Raycast(Ray ray, out RaycastHit hitInfo, float maxDistance) { throw null; }
    }

    public class BoxCollider : Collider { public Vector3 center { get; set; } public Vector3 size { get; set; } }
    public class SphereCollider : Collider { public Vector3 center { get; set; } public float radius { get; set; } }
    public class CapsuleCollider : Collider
    {
        public Vector3 center { get; set; }
        public float radius { get; set; }
        public float height { get; set; }
        public int direction { get; set; }
    }
    public class MeshCollider : Collider { public bool convex { get; set; } public Mesh sharedMesh { get; set; } }

    public struct ContactPoint
    {
        public Vector3 point { get { throw null; } }
        public Vector3 normal { get { throw null; } }
        public Collider thisCollider { get { throw null; } }
        public Collider otherCollider { get { throw null; } }
        public float separation { get { throw null; } }
    }

    public class Collision
    {
        public GameObject gameObject { get { throw null; } }
        public Collider collider { get { throw null; } }
        public Rigidbody rigidbody { get { throw null; } }
        public Transform transform { get { throw null; } }
        public Vector3 relativeVelocity { get { throw null; } }
        public Vector3 impulse { get { throw null; } }
        public ContactPoint[] contacts { get { throw null; } }
        public int contactCount { get { throw null; } }
        public ContactPoint GetContact(int index) { throw null; }
    }

    public struct Ray
    {
        public Ray(Vector3 origin, Vector3 direction) : this() { }
        public Vector3 origin { get; set; }
        public Vector3 direction { get; set; }
        public Vector3 GetPoint(float distance) { throw null; }
    }

    public struct RaycastHit
    {
        public Vector3 point { get; set; }
        public Vector3 normal { get; set; }
        public float distance { get; set; }
        public Collider collider { get { throw null; } }
        public Transform transform { get { throw null; } }
        public Rigidbody rigidbody { get { throw null; } }
    }

    public enum QueryTriggerInteraction { UseGlobal = 0, Ignore = 1, Collide = 2 }

    public struct LayerMask
    {
        public int value { get; set; }
        public static int GetMask(params string[] layerNames) { throw null; }
        public static int NameToLayer(string layerName) { throw null; }
        public static string LayerToName(int layer) { throw null; }
        public static implicit operator int(LayerMask mask) { throw null; }
        public static implicit operator LayerMask(int intVal) { throw null; }
    }

    public class Physics
    {
        public const int DefaultRaycastLayers = -5;
        public const int AllLayers = -1;
        public const int IgnoreRaycastLayer = 4;
        public static Vector3 gravity { get; set; }
        public static bool queriesHitTriggers { get; set; }
        public static bool autoSimulation { get; set; }
        public static void Simulate(float step) { throw null; }
        public static bool Raycast(Vector3 origin, Vector3 direction) { throw null; }
        public static bool Raycast(Vector3 origin, Vector3 direction, float maxDistance) { throw null; }
        public static bool Raycast(Vector3 origin, Vector3 direction, float maxDistance, int layerMask) { throw null; }
        public static bool Raycast(Vector3 origin, Vector3 direction, out RaycastHit hitInfo) { throw null; }
        public static bool Raycast(Vector3 origin, Vector3 direction, out RaycastHit hitInfo, float maxDistance) { throw null; }
        public static bool Raycast(Vector3 origin, Vector3 direction, out RaycastHit hitInfo, float maxDistance, int layerMask) { throw null; }
        public static bool Raycast(Vector3 origin, Vector3 direction, out RaycastHit hitInfo, float maxDistance, int layerMask, QueryTriggerInteraction queryTriggerInteraction) { throw null; }
        public static bool Raycast(Ray ray, out RaycastHit hitInfo) { throw null; }
        public static bool Raycast(Ray ray, out RaycastHit hitInfo, float maxDistance) { throw null; }
        public static bool Raycast(Ray ray, out RaycastHit hitInfo, float maxDistance, int layerMask) { throw null; }
        public static RaycastHit[] RaycastAll(Vector3 origin, Vector3 direction, float maxDistance) { throw null; }
        public static RaycastHit[] RaycastAll(Ray ray, float maxDistance) { throw null; }
        public static bool SphereCast(Vector3 origin, float radius, Vector3 direction, out RaycastHit hitInfo, float maxDistance) { throw null; }
        public static bool SphereCast(Vector3 origin, float radius, Vector3 direction, out RaycastHit hitInfo, float maxDistance, int layerMask) { throw null; }
        public static bool SphereCast(Ray ray, float radius, out RaycastHit hitInfo, float maxDistance) { throw null; }
        public static bool CheckSphere(Vector3 position, float radius) { throw null; }
        public static bool CheckSphere(Vector3 position, float radius, int layerMask) { throw null; }
        public static bool CheckBox(Vector3 center, Vector3 halfExtents) { throw null; }
        public static bool CheckBox(Vector3 center, Vector3 halfExtents, Quaternion orientation) { throw null; }
        public static bool CheckBox(Vector3 center, Vector3 halfExtents, Quaternion orientation, int layermask) { throw null; }
        public static Collider[] OverlapSphere(Vector3 position, float radius) { throw null; }
        public static Collider[] OverlapSphere(Vector3 position, float radius, int layerMask) { throw null; }
        public static Collider[] OverlapBox(Vector3 center, Vector3 halfExtents) { throw null; }
        public static Collider[] OverlapBox(Vector3 center, Vector3 halfExtents, Quaternion orientation) { throw null; }
        public static void IgnoreCollision(Collider collider1, Collider collider2) { throw null; }
        public static void IgnoreCollision(Collider collider1, Collider collider2, bool ignore) { throw null; }
    }

    public class Mesh : Object
    {
        public Vector3[] vertices { get; set; }
        public int[] triangles { get; set; }
        public Bounds bounds { get; set; }
    }

    public class MeshFilter : Component { public Mesh mesh { get; set; } public Mesh sharedMesh { get; set; } }

    public class Shader : Object { public static Shader Find(string name) { throw null; } }

    public class Texture : Object { public int width { get; set; } public int height { get; set; } }
    public class Texture2D : Texture { public Texture2D(int width, int height) { } }
    public class RenderTexture : Texture { public RenderTexture(int width, int height, int depth) { } }

    public class Material : Object
    {
        public Material(Shader shader) { }
        public Material(Material source) { }
        public Color color { get; set; }
        public Shader shader { get; set; }
        public Texture mainTexture { get; set; }
        public void SetColor(string name, Color value) { throw null; }
        public Color GetColor(string name) { throw null; }
        public void SetFloat(string name, float value) { throw null; }
        public float GetFloat(string name) { throw null; }
    }

    public class Renderer : Component
    {
        public bool enabled { get; set; }
        public Material material { get; set; }
        public Material sharedMaterial { get; set; }
        public Material[] materials { get; set; }
        public Material[] sharedMaterials { get; set; }
        public Bounds bounds { get { throw null; } }
    }
    public class MeshRenderer : Renderer { }

    public enum CameraClearFlags { Skybox = 1, Color = 2, SolidColor = 2, Depth = 3, Nothing = 4 }

    public class Camera : Behaviour
    {
        public static Camera main { get { throw null; } }
        public bool orthographic { get; set; }
        public float orthographicSize { get; set; }
        public float fieldOfView { get; set; }
        public float nearClipPlane { get; set; }
        public float farClipPlane { get; set; }
        public Color backgroundColor { get; set; }
        public CameraClearFlags clearFlags { get; set; }
        public RenderTexture targetTexture { get; set; }
        public int cullingMask { get; set; }
        public void Render() { throw null; }
    }

    public enum LightType { Spot = 0, Directional = 1, Point = 2, Area = 3 }
    public enum LightShadows { None = 0, Hard = 1, Soft = 2 }

    public class Light : Behaviour
    {
        public LightType type { get; set; }
        public float intensity { get; set; }
        public Color color { get; set; }
        public float range { get; set; }
        public LightShadows shadows { get; set; }
    }

    public class Gizmos
    {
        public static Color color { get; set; }
        public static void DrawLine(Vector3 from, Vector3 to) { throw null; }
        public static void DrawRay(Vector3 from, Vector3 direction) { throw null; }
        public static void DrawSphere(Vector3 center, float radius) { throw null; }
        public static void DrawWireSphere(Vector3 center, float radius) { throw null; }
        public static void DrawCube(Vector3 center, Vector3 size) { throw null; }
        public static void DrawWireCube(Vector3 center, Vector3 size) { throw null; }
    }

    public enum RuntimePlatform { OSXEditor = 0, OSXPlayer = 1, WindowsPlayer = 2, WindowsEditor = 7, LinuxPlayer = 13, LinuxEditor = 16, LinuxServer = 43 }

    public class Application
    {
        public static bool isPlaying { get { throw null; } }
        public static bool isEditor { get { throw null; } }
        public static bool isBatchMode { get { throw null; } }
        public static bool runInBackground { get; set; }
        public static int targetFrameRate { get; set; }
        public static RuntimePlatform platform { get { throw null; } }
        public static string productName { get { throw null; } }
        public static string version { get { throw null; } }
        public static string unityVersion { get { throw null; } }
        public static void Quit() { throw null; }
        public static void Quit(int exitCode) { throw null; }
    }

    public class Screen
    {
        public static int width { get { throw null; } }
        public static int height { get { throw null; } }
        public static void SetResolution(int width, int height, bool fullscreen) { throw null; }
    }

    public class QualitySettings
    {
        public static int vSyncCount { get; set; }
        public static void SetQualityLevel(int index) { throw null; }
        public static void SetQualityLevel(int index, bool applyExpensiveChanges) { throw null; }
    }

    public class Resources
    {
        public static T Load<T>(string path) where T : Object { throw null; }
        public static Object Load(string path) { throw null; }
    }

    public class PlayerPrefs
    {
        public static float GetFloat(string key, float defaultValue) { throw null; }
        public static void SetFloat(string key, float value) { throw null; }
        public static int GetInt(string key, int defaultValue) { throw null; }
        public static void SetInt(string key, int value) { throw null; }
    }

    public enum RuntimeInitializeLoadType { AfterSceneLoad = 0, BeforeSceneLoad = 1, AfterAssembliesLoaded = 2, BeforeSplashScreen = 3, SubsystemRegistration = 4 }

    public class PropertyAttribute : Attribute { }

    [AttributeUsage(AttributeTargets.Method)]
    public class RuntimeInitializeOnLoadMethodAttribute : Attribute
    {
        public RuntimeInitializeOnLoadMethodAttribute() { }
        public RuntimeInitializeOnLoadMethodAttribute(RuntimeInitializeLoadType loadType) { }
    }
    [AttributeUsage(AttributeTargets.Field)]
    public sealed class SerializeField : Attribute { }
    [AttributeUsage(AttributeTargets.Field)]
    public sealed class HideInInspector : Attribute { }
    [AttributeUsage(AttributeTargets.Field, AllowMultiple = true)]
    public class HeaderAttribute : PropertyAttribute { public HeaderAttribute(string header) { } }
    [AttributeUsage(AttributeTargets.Field)]
    public class TooltipAttribute : PropertyAttribute { public TooltipAttribute(string tooltip) { } }
    [AttributeUsage(AttributeTargets.Field)]
    public sealed class RangeAttribute : PropertyAttribute
    {
        public RangeAttribute(float min, float max) { }
    }
    [AttributeUsage(AttributeTargets.Field)]
    public sealed class MinAttribute : PropertyAttribute { public MinAttribute(float min) { } }
    [AttributeUsage(AttributeTargets.Field, AllowMultiple = true)]
    public class SpaceAttribute : PropertyAttribute
    {
        public SpaceAttribute() { }
        public SpaceAttribute(float height) { }
    }
    [AttributeUsage(AttributeTargets.Field)]
    public class TextAreaAttribute : PropertyAttribute
    {
        public TextAreaAttribute() { }
        public TextAreaAttribute(int minLines, int maxLines) { }
    }
    [AttributeUsage(AttributeTargets.Field)]
    public sealed class MultilineAttribute : PropertyAttribute { public MultilineAttribute() { } }
    [AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
    public sealed class RequireComponent : Attribute
    {
        public RequireComponent(Type requiredComponent) { }
        public RequireComponent(Type requiredComponent, Type requiredComponent2) { }
        public RequireComponent(Type requiredComponent, Type requiredComponent2, Type requiredComponent3) { }
    }
    [AttributeUsage(AttributeTargets.Class)]
    public sealed class DisallowMultipleComponent : Attribute { }
    [AttributeUsage(AttributeTargets.Class)]
    public sealed class ExecuteInEditMode : Attribute { }
    [AttributeUsage(AttributeTargets.Class)]
    public sealed class ExecuteAlways : Attribute { }
    [AttributeUsage(AttributeTargets.Class)]
    public sealed class AddComponentMenu : Attribute
    {
        public AddComponentMenu(string menuName) { }
        public AddComponentMenu(string menuName, int order) { }
    }
    [AttributeUsage(AttributeTargets.Class)]
    public class DefaultExecutionOrder : Attribute { public DefaultExecutionOrder(int order) { } }
    [AttributeUsage(AttributeTargets.Class)]
    public sealed class HelpURLAttribute : Attribute { public HelpURLAttribute(string url) { } }
    [AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
    public sealed class ContextMenu : Attribute { public ContextMenu(string itemName) { } }
}

namespace UnityEngine.Serialization
{
    [AttributeUsage(AttributeTargets.Field, AllowMultiple = true)]
    public class FormerlySerializedAsAttribute : System.Attribute
    {
        public FormerlySerializedAsAttribute(string oldName) { }
    }
}

namespace UnityEngine.SceneManagement
{
    public enum LoadSceneMode { Single = 0, Additive = 1 }

    public struct Scene
    {
        public string name { get { throw null; } }
        public string path { get { throw null; } }
        public int buildIndex { get { throw null; } }
        public bool isLoaded { get { throw null; } }
        public GameObject[] GetRootGameObjects() { throw null; }
    }

    public class SceneManager
    {
        public static int sceneCount { get { throw null; } }
        public static Scene GetActiveScene() { throw null; }
        public static bool SetActiveScene(Scene scene) { throw null; }
        public static void LoadScene(int sceneBuildIndex) { throw null; }
        public static void LoadScene(string sceneName) { throw null; }
        public static void LoadScene(string sceneName, LoadSceneMode mode) { throw null; }
        public static void MoveGameObjectToScene(GameObject go, Scene scene) { throw null; }
    }
}
