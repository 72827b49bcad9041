// Compile-only stubs of UnityEngine's core scripting API as of Unity 6000.0 (UnityEngine.CoreModule): Object,
// Component, GameObject, Transform, MonoBehaviour and coroutines, vector math, Mathf, Debug, Color, Rect,
// Bounds, Ray, LayerMask and the inspector attributes. Signatures checked against Unity's C# reference source
// (Unity-Technologies/UnityCsReference, tag 6000.0.23f1, Runtime/Export, Runtime/Transform); our own
// declarations. Bodies throw, except the vector math, Mathf, Debug.Log, Transform's pose and
// Component.transform, which work so that tests can run generated physics under Mono against the simulator.
#pragma warning disable 0067, 0108, 0114, 0414, 0649, 0660, 0661
using System;
using System.Collections;
using System.Collections.Generic;
using UnityEngine.SceneManagement;

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
        public static void DestroyImmediate(Object obj, bool allowDestroyingAssets) { throw null; }
        [Obsolete] public static void DestroyObject(Object obj) { throw null; }
        [Obsolete] public static void DestroyObject(Object obj, float t) { throw null; }
        public static Object FindAnyObjectByType(Type type) { throw null; }
        public static Object FindFirstObjectByType(Type type) { throw null; }
        [Obsolete] public static Object FindObjectOfType(Type type) { throw null; }
        [Obsolete] public static Object FindObjectOfType(Type type, bool includeInactive) { throw null; }
        [Obsolete] public static T FindObjectOfType<T>(bool includeInactive) where T : Object { throw null; }
        [Obsolete] public static Object[] FindObjectsOfType(Type type) { throw null; }
        [Obsolete] public static T[] FindObjectsOfType<T>(bool includeInactive) where T : Object { throw null; }
        [Obsolete] public static Object[] FindObjectsOfType(Type type, bool includeInactive) { throw null; }
        [Obsolete] public static Object[] FindObjectsOfTypeAll(Type type) { throw null; }
        [Obsolete] public static Object[] FindObjectsOfTypeIncludingAssets(Type type) { throw null; }
        [Obsolete] public static Object[] FindSceneObjectsOfType(Type type) { throw null; }
        public static Object Instantiate(Object original, Scene scene) { throw null; }
        public static Object Instantiate(Object original, Transform parent, bool instantiateInWorldSpace) { throw null; }
        public static Object Instantiate(Object original, Vector3 position, Quaternion rotation, Transform parent) { throw null; }
        public static T Instantiate<T>(T original, Transform parent, bool worldPositionStays) where T : Object { throw null; }
    }

    [Flags] public enum HideFlags
    {
        DontSave = DontSaveInEditor | DontSaveInBuild | DontUnloadUnusedAsset,
        DontSaveInBuild = 16,
        DontSaveInEditor = 4,
        DontUnloadUnusedAsset = 32,
        HideAndDontSave = HideInHierarchy | DontSaveInEditor | NotEditable | DontSaveInBuild | DontUnloadUnusedAsset,
        HideInHierarchy = 1,
        HideInInspector = 2,
        None = 0,
        NotEditable = 8,
    }

    public class Component : Object
    {
        Transform m_Transform;
        public GameObject gameObject { get { throw null; } }
        // Works (our code): generated agents under Mono move their transform. Transform's constructor is protected
        // in Unity, so the stub makes one without widening it.
        public Transform transform
        {
            get { return this as Transform ?? (m_Transform = m_Transform ?? (Transform)Activator.CreateInstance(typeof(Transform), true)); }
        }
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
        public void BroadcastMessage(string methodName, object parameter, SendMessageOptions options) { throw null; }
        public void BroadcastMessage(string methodName) { throw null; }
        public void BroadcastMessage(string methodName, SendMessageOptions options) { throw null; }
        public void BroadcastMessage(string methodName, object parameter) { throw null; }
        public Component GetComponent(string type) { throw null; }
        public Component GetComponentInChildren(Type t) { throw null; }
        public Component GetComponentInChildren(Type t, bool includeInactive) { throw null; }
        public Component GetComponentInParent(Type t) { throw null; }
        public Component GetComponentInParent(Type t, bool includeInactive) { throw null; }
        public T GetComponentInParent<T>(bool includeInactive) { throw null; }
        public int GetComponentIndex() { throw null; }
        public Component[] GetComponents(Type type) { throw null; }
        public void GetComponents(Type type, List<Component> results) { throw null; }
        public void GetComponents<T>(List<T> results) { throw null; }
        public Component[] GetComponentsInChildren(Type t) { throw null; }
        public Component[] GetComponentsInChildren(Type t, bool includeInactive) { throw null; }
        public void GetComponentsInChildren<T>(List<T> results) { throw null; }
        public void GetComponentsInChildren<T>(bool includeInactive, List<T> result) { throw null; }
        public Component[] GetComponentsInParent(Type t) { throw null; }
        public Component[] GetComponentsInParent(Type t, bool includeInactive) { throw null; }
        public T[] GetComponentsInParent<T>() { throw null; }
        public T[] GetComponentsInParent<T>(bool includeInactive) { throw null; }
        public void GetComponentsInParent<T>(bool includeInactive, List<T> results) { throw null; }
        public void SendMessage(string methodName, object value, SendMessageOptions options) { throw null; }
        public void SendMessage(string methodName, SendMessageOptions options) { throw null; }
        public void SendMessage(string methodName, object value) { throw null; }
        public void SendMessageUpwards(string methodName, object value, SendMessageOptions options) { throw null; }
        public void SendMessageUpwards(string methodName) { throw null; }
        public void SendMessageUpwards(string methodName, SendMessageOptions options) { throw null; }
        public void SendMessageUpwards(string methodName, object value) { throw null; }
        public bool TryGetComponent(Type type, out Component component) { throw null; }
    }

    public class Behaviour : Component
    {
        public bool enabled { get; set; }
        public bool isActiveAndEnabled { get { throw null; } }
    }

    public class YieldInstruction { }
    public sealed class Coroutine : YieldInstruction { Coroutine() { } }
    public sealed class WaitForSeconds : YieldInstruction { public WaitForSeconds(float seconds) { } }
    public sealed class WaitForFixedUpdate : YieldInstruction { }
    public sealed class WaitForEndOfFrame : YieldInstruction { }
    public abstract class CustomYieldInstruction : IEnumerator
    {
        public abstract bool keepWaiting { get; }
        public object Current { get { throw null; } }
        public bool MoveNext() { throw null; }
        public virtual void Reset() { throw null; }
    }

    public class WaitForSecondsRealtime : CustomYieldInstruction
    {
        public WaitForSecondsRealtime(float time) { }
        public float waitTime { get; set; }
        public override bool keepWaiting { get { throw null; } }
        public override void Reset() { throw null; }
    }

    public sealed class WaitUntil : CustomYieldInstruction
    {
        public WaitUntil(Func<bool> predicate) { }
        public WaitUntil(Func<bool> predicate, TimeSpan timeout, Action onTimeout, WaitTimeoutMode timeoutMode = WaitTimeoutMode.Realtime) { }
        public override bool keepWaiting { get { throw null; } }
    }

    public sealed class WaitWhile : CustomYieldInstruction
    {
        public WaitWhile(Func<bool> predicate) { }
        public WaitWhile(Func<bool> predicate, TimeSpan timeout, Action onTimeout, WaitTimeoutMode timeoutMode = WaitTimeoutMode.Realtime) { }
        public override bool keepWaiting { get { throw null; } }
    }

    public enum WaitTimeoutMode { Realtime = 0, InGameTime = 1 }

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
        public bool IsInvoking() { throw null; }
        public Coroutine StartCoroutine(string methodName, object value) { throw null; }
        [Obsolete] public Coroutine StartCoroutine_Auto(IEnumerator routine) { throw null; }
        public void StopCoroutine(string methodName) { throw null; }
        public bool didAwake { get { throw null; } }
        public bool didStart { get { throw null; } }
        public bool runInEditMode { get; set; }
    }

    public interface ISerializationCallbackReceiver
    {
        void OnBeforeSerialize();
        void OnAfterDeserialize();
    }

    public class ScriptableObject : Object
    {
        public static T CreateInstance<T>() where T : ScriptableObject { throw null; }
        public static ScriptableObject CreateInstance(Type type) { throw null; }
        public static ScriptableObject CreateInstance(string className) { throw null; }
        [Obsolete] public void SetDirty() { throw null; }
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
        public void BroadcastMessage(string methodName, object parameter, SendMessageOptions options) { throw null; }
        public void BroadcastMessage(string methodName) { throw null; }
        public void BroadcastMessage(string methodName, SendMessageOptions options) { throw null; }
        public void BroadcastMessage(string methodName, object parameter) { throw null; }
        public static void FindGameObjectsWithTag(string tag, List<GameObject> results) { throw null; }
        public Component GetComponent(string type) { throw null; }
        public Component GetComponentAtIndex(int index) { throw null; }
        public T GetComponentAtIndex<T>(int index) where T : Component { throw null; }
        public int GetComponentCount() { throw null; }
        public Component GetComponentInChildren(Type type) { throw null; }
        public Component GetComponentInChildren(Type type, bool includeInactive) { throw null; }
        public Component GetComponentInParent(Type type) { throw null; }
        public T GetComponentInParent<T>(bool includeInactive) { throw null; }
        public Component GetComponentInParent(Type type, bool includeInactive) { throw null; }
        public int GetComponentIndex(Component component) { throw null; }
        public Component[] GetComponents(Type type) { throw null; }
        public void GetComponents(Type type, List<Component> results) { throw null; }
        public void GetComponents<T>(List<T> results) { throw null; }
        public Component[] GetComponentsInChildren(Type type) { throw null; }
        public Component[] GetComponentsInChildren(Type type, bool includeInactive) { throw null; }
        public void GetComponentsInChildren<T>(List<T> results) { throw null; }
        public void GetComponentsInChildren<T>(bool includeInactive, List<T> results) { throw null; }
        public Component[] GetComponentsInParent(Type type) { throw null; }
        public Component[] GetComponentsInParent(Type type, bool includeInactive) { throw null; }
        public T[] GetComponentsInParent<T>() { throw null; }
        public T[] GetComponentsInParent<T>(bool includeInactive) { throw null; }
        public void GetComponentsInParent<T>(bool includeInactive, List<T> results) { throw null; }
        public static Scene GetScene(int instanceID) { throw null; }
        public void SendMessage(string methodName) { throw null; }
        public void SendMessage(string methodName, SendMessageOptions options) { throw null; }
        public void SendMessage(string methodName, object value) { throw null; }
        public void SendMessageUpwards(string methodName, object value, SendMessageOptions options) { throw null; }
        public void SendMessageUpwards(string methodName) { throw null; }
        public void SendMessageUpwards(string methodName, SendMessageOptions options) { throw null; }
        public void SendMessageUpwards(string methodName, object value) { throw null; }
        [Obsolete] public void SetActiveRecursively(bool state) { throw null; }
        public bool TryGetComponent(Type type, out Component component) { throw null; }
        [Obsolete] public bool active { get; set; }
        public ulong sceneCullingMask { get { throw null; } }
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
        protected Transform() { }
        [Obsolete] public Transform FindChild(string n) { throw null; }
        [Obsolete] public int GetChildCount() { throw null; }
        public void GetLocalPositionAndRotation(out Vector3 localPosition, out Quaternion localRotation) { throw null; }
        public void GetPositionAndRotation(out Vector3 position, out Quaternion rotation) { throw null; }
        public int GetSiblingIndex() { throw null; }
        public Vector3 InverseTransformDirection(float x, float y, float z) { throw null; }
        public Vector3 InverseTransformPoint(float x, float y, float z) { throw null; }
        public Vector3 InverseTransformVector(float x, float y, float z) { throw null; }
        public void LookAt(Transform target, Vector3 worldUp) { throw null; }
        public void Rotate(float xAngle, float yAngle, float zAngle, Space relativeTo) { throw null; }
        [Obsolete] public void RotateAround(Vector3 axis, float angle) { throw null; }
        [Obsolete] public void RotateAroundLocal(Vector3 axis, float angle) { throw null; }
        public void SetAsFirstSibling() { throw null; }
        public void SetAsLastSibling() { throw null; }
        public void SetLocalPositionAndRotation(Vector3 localPosition, Quaternion localRotation) { throw null; }
        public void SetParent(Transform p) { throw null; }
        public Vector3 TransformDirection(float x, float y, float z) { throw null; }
        public Vector3 TransformPoint(float x, float y, float z) { throw null; }
        public Vector3 TransformVector(float x, float y, float z) { throw null; }
        public void Translate(Vector3 translation, Transform relativeTo) { throw null; }
        public void Translate(float x, float y, float z, Space relativeTo) { throw null; }
        public void Translate(float x, float y, float z, Transform relativeTo) { throw null; }
        public bool hasChanged { get; set; }
        public int hierarchyCapacity { get; set; }
        public int hierarchyCount { get { throw null; } }
    }

    public struct Vector2 : IEquatable<Vector2>, IFormattable
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
        public const float kEpsilon = 0.00001F;
        public const float kEpsilonNormalSqrt = 1e-15f;
        public bool Equals(Vector2 other) { throw null; }
        public static Vector2 LerpUnclamped(Vector2 a, Vector2 b, float t) { throw null; }
        public static Vector2 Reflect(Vector2 inDirection, Vector2 inNormal) { throw null; }
        public static Vector2 Scale(Vector2 a, Vector2 b) { throw null; }
        public void Scale(Vector2 scale) { throw null; }
        public static Vector2 SmoothDamp(Vector2 current, Vector2 target, ref Vector2 currentVelocity, float smoothTime) { throw null; }
        public static Vector2 SmoothDamp(Vector2 current, Vector2 target, ref Vector2 currentVelocity, float smoothTime, float maxSpeed) { throw null; }
        public static Vector2 SmoothDamp(Vector2 current, Vector2 target, ref Vector2 currentVelocity, float smoothTime, float maxSpeed, float deltaTime) { throw null; }
        public float SqrMagnitude() { throw null; }
        public static float SqrMagnitude(Vector2 a) { throw null; }
        public string ToString(string format) { throw null; }
        public string ToString(string format, IFormatProvider formatProvider) { throw null; }
        public static Vector2 operator /(Vector2 a, Vector2 b) { throw null; }
        public static Vector2 negativeInfinity { get { throw null; } }
        public static Vector2 positiveInfinity { get { throw null; } }
    }

    public struct Vector2Int : IEquatable<Vector2Int>, IFormattable
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
        public int this[int index] { get { throw null; } set { throw null; } }
        public static Vector2Int CeilToInt(Vector2 v) { throw null; }
        public void Clamp(Vector2Int min, Vector2Int max) { throw null; }
        public static float Distance(Vector2Int a, Vector2Int b) { throw null; }
        public bool Equals(Vector2Int other) { throw null; }
        public static Vector2Int FloorToInt(Vector2 v) { throw null; }
        public static Vector2Int Max(Vector2Int lhs, Vector2Int rhs) { throw null; }
        public static Vector2Int Min(Vector2Int lhs, Vector2Int rhs) { throw null; }
        public static Vector2Int RoundToInt(Vector2 v) { throw null; }
        public static Vector2Int Scale(Vector2Int a, Vector2Int b) { throw null; }
        public void Scale(Vector2Int scale) { throw null; }
        public void Set(int x, int y) { throw null; }
        public override string ToString() { throw null; }
        public string ToString(string format) { throw null; }
        public string ToString(string format, IFormatProvider formatProvider) { throw null; }
        public static explicit operator Vector3Int(Vector2Int v) { throw null; }
        public static Vector2Int operator *(Vector2Int a, Vector2Int b) { throw null; }
        public static Vector2Int operator *(Vector2Int a, int b) { throw null; }
        public static Vector2Int operator *(int a, Vector2Int b) { throw null; }
        public static Vector2Int operator -(Vector2Int v) { throw null; }
        public static Vector2Int operator /(Vector2Int a, int b) { throw null; }
        public float magnitude { get { throw null; } }
        public int sqrMagnitude { get { throw null; } }
    }

    public struct Vector3 : IEquatable<Vector3>, IFormattable
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
        public const float kEpsilon = 0.00001F;
        public const float kEpsilonNormalSqrt = 1e-15F;
        [Obsolete] public static float AngleBetween(Vector3 from, Vector3 to) { throw null; }
        public bool Equals(Vector3 other) { throw null; }
        [Obsolete] public static Vector3 Exclude(Vector3 excludeThis, Vector3 fromThat) { throw null; }
        public static Vector3 LerpUnclamped(Vector3 a, Vector3 b, float t) { throw null; }
        public static void OrthoNormalize(ref Vector3 normal, ref Vector3 tangent) { throw null; }
        public static void OrthoNormalize(ref Vector3 normal, ref Vector3 tangent, ref Vector3 binormal) { throw null; }
        public void Scale(Vector3 scale) { throw null; }
        public static Vector3 SlerpUnclamped(Vector3 a, Vector3 b, float t) { throw null; }
        public static Vector3 SmoothDamp(Vector3 current, Vector3 target, ref Vector3 currentVelocity, float smoothTime) { throw null; }
        public static Vector3 SmoothDamp(Vector3 current, Vector3 target, ref Vector3 currentVelocity, float smoothTime, float maxSpeed) { throw null; }
        public static Vector3 SmoothDamp(Vector3 current, Vector3 target, ref Vector3 currentVelocity, float smoothTime, float maxSpeed, float deltaTime) { throw null; }
        public static float SqrMagnitude(Vector3 vector) { throw null; }
        public string ToString(string format) { throw null; }
        public string ToString(string format, IFormatProvider formatProvider) { throw null; }
        [Obsolete] public static Vector3 fwd { get { throw null; } }
        public static Vector3 negativeInfinity { get { throw null; } }
        public static Vector3 positiveInfinity { get { throw null; } }
    }

    public struct Vector3Int : IEquatable<Vector3Int>, IFormattable
    {
        public Vector3Int(int x, int y, int z) : this() { }
        public int x { get; set; }
        public int y { get; set; }
        public int z { get; set; }
        public static Vector3Int zero { get { throw null; } }
        public static implicit operator Vector3(Vector3Int v) { throw null; }
        public Vector3Int(int x, int y) { throw null; }
        public int this[int index] { get { throw null; } set { throw null; } }
        public static Vector3Int CeilToInt(Vector3 v) { throw null; }
        public void Clamp(Vector3Int min, Vector3Int max) { throw null; }
        public static float Distance(Vector3Int a, Vector3Int b) { throw null; }
        public bool Equals(Vector3Int other) { throw null; }
        public override bool Equals(object other) { throw null; }
        public static Vector3Int FloorToInt(Vector3 v) { throw null; }
        public override int GetHashCode() { throw null; }
        public static Vector3Int Max(Vector3Int lhs, Vector3Int rhs) { throw null; }
        public static Vector3Int Min(Vector3Int lhs, Vector3Int rhs) { throw null; }
        public static Vector3Int RoundToInt(Vector3 v) { throw null; }
        public static Vector3Int Scale(Vector3Int a, Vector3Int b) { throw null; }
        public void Scale(Vector3Int scale) { throw null; }
        public void Set(int x, int y, int z) { throw null; }
        public override string ToString() { throw null; }
        public string ToString(string format) { throw null; }
        public string ToString(string format, IFormatProvider formatProvider) { throw null; }
        public static explicit operator Vector2Int(Vector3Int v) { throw null; }
        public static bool operator !=(Vector3Int lhs, Vector3Int rhs) { throw null; }
        public static Vector3Int operator *(Vector3Int a, Vector3Int b) { throw null; }
        public static Vector3Int operator *(Vector3Int a, int b) { throw null; }
        public static Vector3Int operator *(int a, Vector3Int b) { throw null; }
        public static Vector3Int operator +(Vector3Int a, Vector3Int b) { throw null; }
        public static Vector3Int operator -(Vector3Int a) { throw null; }
        public static Vector3Int operator -(Vector3Int a, Vector3Int b) { throw null; }
        public static Vector3Int operator /(Vector3Int a, int b) { throw null; }
        public static bool operator ==(Vector3Int lhs, Vector3Int rhs) { throw null; }
        public static Vector3Int back { get { throw null; } }
        public static Vector3Int down { get { throw null; } }
        public static Vector3Int forward { get { throw null; } }
        public static Vector3Int left { get { throw null; } }
        public float magnitude { get { throw null; } }
        public static Vector3Int one { get { throw null; } }
        public static Vector3Int right { get { throw null; } }
        public int sqrMagnitude { get { throw null; } }
        public static Vector3Int up { get { throw null; } }
    }

    public struct Vector4 : IEquatable<Vector4>, IFormattable
    {
        public float x;
        public float y;
        public float z;
        public float w;
        public Vector4(float x, float y, float z, float w) { this.x = x; this.y = y; this.z = z; this.w = w; }
        public Vector4(float x, float y) { throw null; }
        public Vector4(float x, float y, float z) { throw null; }
        public const float kEpsilon = 0.00001F;
        public float this[int index] { get { throw null; } set { throw null; } }
        public static float Distance(Vector4 a, Vector4 b) { throw null; }
        public static float Dot(Vector4 a, Vector4 b) { throw null; }
        public bool Equals(Vector4 other) { throw null; }
        public override bool Equals(object other) { throw null; }
        public override int GetHashCode() { throw null; }
        public static Vector4 Lerp(Vector4 a, Vector4 b, float t) { throw null; }
        public static Vector4 LerpUnclamped(Vector4 a, Vector4 b, float t) { throw null; }
        public static float Magnitude(Vector4 a) { throw null; }
        public static Vector4 Max(Vector4 lhs, Vector4 rhs) { throw null; }
        public static Vector4 Min(Vector4 lhs, Vector4 rhs) { throw null; }
        public static Vector4 MoveTowards(Vector4 current, Vector4 target, float maxDistanceDelta) { throw null; }
        public static Vector4 Normalize(Vector4 a) { throw null; }
        public void Normalize() { throw null; }
        public static Vector4 Project(Vector4 a, Vector4 b) { throw null; }
        public static Vector4 Scale(Vector4 a, Vector4 b) { throw null; }
        public void Scale(Vector4 scale) { throw null; }
        public void Set(float newX, float newY, float newZ, float newW) { throw null; }
        public float SqrMagnitude() { throw null; }
        public static float SqrMagnitude(Vector4 a) { throw null; }
        public override string ToString() { throw null; }
        public string ToString(string format) { throw null; }
        public string ToString(string format, IFormatProvider formatProvider) { throw null; }
        public static implicit operator Vector2(Vector4 v) { throw null; }
        public static implicit operator Vector3(Vector4 v) { throw null; }
        public static implicit operator Vector4(Vector2 v) { throw null; }
        public static implicit operator Vector4(Vector3 v) { throw null; }
        public static bool operator !=(Vector4 lhs, Vector4 rhs) { throw null; }
        public static Vector4 operator *(Vector4 a, float d) { throw null; }
        public static Vector4 operator *(float d, Vector4 a) { throw null; }
        public static Vector4 operator +(Vector4 a, Vector4 b) { throw null; }
        public static Vector4 operator -(Vector4 a) { throw null; }
        public static Vector4 operator -(Vector4 a, Vector4 b) { throw null; }
        public static Vector4 operator /(Vector4 a, float d) { throw null; }
        public static bool operator ==(Vector4 lhs, Vector4 rhs) { throw null; }
        public float magnitude { get { throw null; } }
        public static Vector4 negativeInfinity { get { throw null; } }
        public Vector4 normalized { get { throw null; } }
        public static Vector4 one { get { throw null; } }
        public static Vector4 positiveInfinity { get { throw null; } }
        public float sqrMagnitude { get { throw null; } }
        public static Vector4 zero { get { throw null; } }
    }

    public struct Matrix4x4 : IEquatable<Matrix4x4>, IFormattable
    {
        public static Matrix4x4 identity { get { throw null; } }
        public Vector3 MultiplyPoint3x4(Vector3 point) { throw null; }
        public Vector3 MultiplyVector(Vector3 vector) { throw null; }
        public static Matrix4x4 TRS(Vector3 pos, Quaternion q, Vector3 s) { throw null; }
        public Matrix4x4(Vector4 column0, Vector4 column1, Vector4 column2, Vector4 column3) { throw null; }
        public float m00;
        public float m01;
        public float m02;
        public float m03;
        public float m10;
        public float m11;
        public float m12;
        public float m13;
        public float m20;
        public float m21;
        public float m22;
        public float m23;
        public float m30;
        public float m31;
        public float m32;
        public float m33;
        public float this[int index] { get { throw null; } set { throw null; } }
        public float this[int row, int column] { get { throw null; } set { throw null; } }
        public static float Determinant(Matrix4x4 m) { throw null; }
        public bool Equals(Matrix4x4 other) { throw null; }
        public override bool Equals(object other) { throw null; }
        public static Matrix4x4 Frustum(float left, float right, float bottom, float top, float zNear, float zFar) { throw null; }
        public Vector4 GetColumn(int index) { throw null; }
        public override int GetHashCode() { throw null; }
        public Vector3 GetPosition() { throw null; }
        public Vector4 GetRow(int index) { throw null; }
        public static Matrix4x4 Inverse(Matrix4x4 m) { throw null; }
        public static bool Inverse3DAffine(Matrix4x4 input, ref Matrix4x4 result) { throw null; }
        public static Matrix4x4 LookAt(Vector3 from, Vector3 to, Vector3 up) { throw null; }
        public Vector3 MultiplyPoint(Vector3 point) { throw null; }
        public static Matrix4x4 Ortho(float left, float right, float bottom, float top, float zNear, float zFar) { throw null; }
        public static Matrix4x4 Perspective(float fov, float aspect, float zNear, float zFar) { throw null; }
        public static Matrix4x4 Rotate(Quaternion q) { throw null; }
        public static Matrix4x4 Scale(Vector3 vector) { throw null; }
        public void SetColumn(int index, Vector4 column) { throw null; }
        public void SetRow(int index, Vector4 row) { throw null; }
        public void SetTRS(Vector3 pos, Quaternion q, Vector3 s) { throw null; }
        public override string ToString() { throw null; }
        public string ToString(string format) { throw null; }
        public string ToString(string format, IFormatProvider formatProvider) { throw null; }
        public static Matrix4x4 Translate(Vector3 vector) { throw null; }
        public static Matrix4x4 Transpose(Matrix4x4 m) { throw null; }
        public bool ValidTRS() { throw null; }
        public static bool operator !=(Matrix4x4 lhs, Matrix4x4 rhs) { throw null; }
        public static Matrix4x4 operator *(Matrix4x4 lhs, Matrix4x4 rhs) { throw null; }
        public static Vector4 operator *(Matrix4x4 lhs, Vector4 vector) { throw null; }
        public static bool operator ==(Matrix4x4 lhs, Matrix4x4 rhs) { throw null; }
        public float determinant { get { throw null; } }
        public Matrix4x4 inverse { get { throw null; } }
        public bool isIdentity { get { throw null; } }
        public Vector3 lossyScale { get { throw null; } }
        public Quaternion rotation { get { throw null; } }
        public Matrix4x4 transpose { get { throw null; } }
        public static Matrix4x4 zero { get { throw null; } }
    }

    public struct Quaternion : IEquatable<Quaternion>, IFormattable
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
        public const float kEpsilon = 0.000001F;
        public float this[int index] { get { throw null; } set { throw null; } }
        [Obsolete] public static Quaternion AxisAngle(Vector3 axis, float angle) { throw null; }
        public bool Equals(Quaternion other) { throw null; }
        [Obsolete] public static Quaternion EulerAngles(Vector3 euler) { throw null; }
        [Obsolete] public static Quaternion EulerAngles(float x, float y, float z) { throw null; }
        [Obsolete] public static Quaternion EulerRotation(Vector3 euler) { throw null; }
        [Obsolete] public static Quaternion EulerRotation(float x, float y, float z) { throw null; }
        public static Quaternion LerpUnclamped(Quaternion a, Quaternion b, float t) { throw null; }
        public static Quaternion Normalize(Quaternion q) { throw null; }
        public void Normalize() { throw null; }
        public void Set(float newX, float newY, float newZ, float newW) { throw null; }
        [Obsolete] public void SetAxisAngle(Vector3 axis, float angle) { throw null; }
        [Obsolete] public void SetEulerAngles(Vector3 euler) { throw null; }
        [Obsolete] public void SetEulerAngles(float x, float y, float z) { throw null; }
        [Obsolete] public void SetEulerRotation(Vector3 euler) { throw null; }
        [Obsolete] public void SetEulerRotation(float x, float y, float z) { throw null; }
        public void SetFromToRotation(Vector3 fromDirection, Vector3 toDirection) { throw null; }
        public void SetLookRotation(Vector3 view) { throw null; }
        public void SetLookRotation(Vector3 view, Vector3 up) { throw null; }
        public static Quaternion SlerpUnclamped(Quaternion a, Quaternion b, float t) { throw null; }
        public void ToAngleAxis(out float angle, out Vector3 axis) { throw null; }
        [Obsolete] public void ToAxisAngle(out Vector3 axis, out float angle) { throw null; }
        [Obsolete] public Vector3 ToEuler() { throw null; }
        [Obsolete] public Vector3 ToEulerAngles() { throw null; }
        [Obsolete] public static Vector3 ToEulerAngles(Quaternion rotation) { throw null; }
        public override string ToString() { throw null; }
        public string ToString(string format) { throw null; }
        public string ToString(string format, IFormatProvider formatProvider) { throw null; }
    }

    public struct Mathf
    {
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
        public const float Deg2Rad = PI * 2F / 360F;
        public const float Infinity = Single.PositiveInfinity;
        public const float NegativeInfinity = Single.NegativeInfinity;
        public const float PI = (float)Math.PI;
        public const float Rad2Deg = 1F / Deg2Rad;
        public static int ClosestPowerOfTwo(int value) { throw null; }
        public static Color CorrelatedColorTemperatureToRGB(float kelvin) { throw null; }
        public static ushort FloatToHalf(float val) { throw null; }
        public static float Gamma(float value, float absmax, float gamma) { throw null; }
        public static float GammaToLinearSpace(float value) { throw null; }
        public static float HalfToFloat(ushort val) { throw null; }
        public static bool IsPowerOfTwo(int value) { throw null; }
        public static float LinearToGammaSpace(float value) { throw null; }
        public static int NextPowerOfTwo(int value) { throw null; }
        public static float PerlinNoise(float x, float y) { throw null; }
        public static float PerlinNoise1D(float x) { throw null; }
        public static float SmoothDamp(float current, float target, ref float currentVelocity, float smoothTime) { throw null; }
        public static float SmoothDamp(float current, float target, ref float currentVelocity, float smoothTime, float maxSpeed) { throw null; }
        public static float SmoothDamp(float current, float target, ref float currentVelocity, float smoothTime, float maxSpeed, float deltaTime) { throw null; }
        public static float SmoothDampAngle(float current, float target, ref float currentVelocity, float smoothTime) { throw null; }
        public static float SmoothDampAngle(float current, float target, ref float currentVelocity, float smoothTime, float maxSpeed) { throw null; }
        public static float SmoothDampAngle(float current, float target, ref float currentVelocity, float smoothTime, float maxSpeed, float deltaTime) { throw null; }
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
        public static void Assert(bool condition, Object context) { throw null; }
        public static void Assert(bool condition, object message, Object context) { throw null; }
        public static void Assert(bool condition, string message) { throw null; }
        public static void Assert(bool condition, string message, Object context) { throw null; }
        public static void AssertFormat(bool condition, Object context, string format, params object[] args) { throw null; }
        public static void AssertFormat(bool condition, string format, params object[] args) { throw null; }
        public static void Break() { throw null; }
        public static void ClearDeveloperConsole() { throw null; }
        public static void DebugBreak() { throw null; }
        public static void DrawLine(Vector3 start, Vector3 end, Color color, float duration, bool depthTest) { throw null; }
        public static void DrawRay(Vector3 start, Vector3 dir, Color color, float duration, bool depthTest) { throw null; }
        public static void LogAssertion(object message) { throw null; }
        public static void LogAssertion(object message, Object context) { throw null; }
        public static void LogAssertionFormat(Object context, string format, params object[] args) { throw null; }
        public static void LogAssertionFormat(string format, params object[] args) { throw null; }
        public static void LogErrorFormat(Object context, string format, params object[] args) { throw null; }
        public static void LogException(Exception exception, Object context) { throw null; }
        public static void LogFormat(Object context, string format, params object[] args) { throw null; }
        public static void LogWarningFormat(Object context, string format, params object[] args) { throw null; }
        public static bool developerConsoleEnabled { get; set; }
        public static bool developerConsoleVisible { get; set; }
        public static bool isDebugBuild { get { throw null; } }
    }

    public struct Color : IEquatable<Color>, IFormattable
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
        public float this[int index] { get { throw null; } set { throw null; } }
        public bool Equals(Color other) { throw null; }
        public override bool Equals(object other) { throw null; }
        public override int GetHashCode() { throw null; }
        public static Color LerpUnclamped(Color a, Color b, float t) { throw null; }
        public override string ToString() { throw null; }
        public string ToString(string format) { throw null; }
        public string ToString(string format, IFormatProvider formatProvider) { throw null; }
        public static implicit operator Color(Vector4 v) { throw null; }
        public static implicit operator Vector4(Color c) { throw null; }
        public static bool operator !=(Color lhs, Color rhs) { throw null; }
        public static Color operator *(Color a, Color b) { throw null; }
        public static Color operator *(float b, Color a) { throw null; }
        public static Color operator +(Color a, Color b) { throw null; }
        public static Color operator -(Color a, Color b) { throw null; }
        public static Color operator /(Color a, float b) { throw null; }
        public static bool operator ==(Color lhs, Color rhs) { throw null; }
        public Color gamma { get { throw null; } }
        public float grayscale { get { throw null; } }
        public Color linear { get { throw null; } }
        public float maxColorComponent { get { throw null; } }
    }

    public struct Color32 : IEquatable<Color32>, IFormattable
    {
        public byte r;
        public byte g;
        public byte b;
        public byte a;
        public Color32(byte r, byte g, byte b, byte a) { this.r = r; this.g = g; this.b = b; this.a = a; }
        public byte this[int index] { get { throw null; } set { throw null; } }
        public bool Equals(Color32 other) { throw null; }
        public override bool Equals(object other) { throw null; }
        public override int GetHashCode() { throw null; }
        public static Color32 Lerp(Color32 a, Color32 b, float t) { throw null; }
        public static Color32 LerpUnclamped(Color32 a, Color32 b, float t) { throw null; }
        public override string ToString() { throw null; }
        public string ToString(string format) { throw null; }
        public string ToString(string format, IFormatProvider formatProvider) { throw null; }
        public static implicit operator Color(Color32 c) { throw null; }
        public static implicit operator Color32(Color c) { throw null; }
    }



    public struct Bounds : IEquatable<Bounds>, IFormattable
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
        public void Encapsulate(Bounds bounds) { throw null; }
        public bool Equals(Bounds other) { throw null; }
        public override bool Equals(object other) { throw null; }
        public void Expand(Vector3 amount) { throw null; }
        public void Expand(float amount) { throw null; }
        public override int GetHashCode() { throw null; }
        public bool IntersectRay(Ray ray) { throw null; }
        public bool IntersectRay(Ray ray, out float distance) { throw null; }
        public void SetMinMax(Vector3 min, Vector3 max) { throw null; }
        public float SqrDistance(Vector3 point) { throw null; }
        public override string ToString() { throw null; }
        public string ToString(string format) { throw null; }
        public string ToString(string format, IFormatProvider formatProvider) { throw null; }
        public static bool operator !=(Bounds lhs, Bounds rhs) { throw null; }
        public static bool operator ==(Bounds lhs, Bounds rhs) { throw null; }
    }

    public struct Rect : IEquatable<Rect>, IFormattable
    {
        public Rect(Rect source) { throw null; }
        public Rect(Vector2 position, Vector2 size) { throw null; }
        public Rect(float x, float y, float width, float height) { throw null; }
        public bool Contains(Vector2 point) { throw null; }
        public bool Contains(Vector3 point) { throw null; }
        public bool Contains(Vector3 point, bool allowInverse) { throw null; }
        public bool Equals(Rect other) { throw null; }
        public override bool Equals(object other) { throw null; }
        public override int GetHashCode() { throw null; }
        public static Rect MinMaxRect(float xmin, float ymin, float xmax, float ymax) { throw null; }
        public static Vector2 NormalizedToPoint(Rect rectangle, Vector2 normalizedRectCoordinates) { throw null; }
        public bool Overlaps(Rect other) { throw null; }
        public bool Overlaps(Rect other, bool allowInverse) { throw null; }
        public static Vector2 PointToNormalized(Rect rectangle, Vector2 point) { throw null; }
        public void Set(float x, float y, float width, float height) { throw null; }
        public override string ToString() { throw null; }
        public string ToString(string format) { throw null; }
        public string ToString(string format, IFormatProvider formatProvider) { throw null; }
        public static bool operator !=(Rect lhs, Rect rhs) { throw null; }
        public static bool operator ==(Rect lhs, Rect rhs) { throw null; }
        [Obsolete] public float bottom { get { throw null; } }
        public Vector2 center { get; set; }
        public float height { get; set; }
        [Obsolete] public float left { get { throw null; } }
        public Vector2 max { get; set; }
        public Vector2 min { get; set; }
        public Vector2 position { get; set; }
        [Obsolete] public float right { get { throw null; } }
        public Vector2 size { get; set; }
        [Obsolete] public float top { get { throw null; } }
        public float width { get; set; }
        public float x { get; set; }
        public float xMax { get; set; }
        public float xMin { get; set; }
        public float y { get; set; }
        public float yMax { get; set; }
        public float yMin { get; set; }
        public static Rect zero { get { throw null; } }
    }

    public struct Ray : IFormattable
    {
        public Ray(Vector3 origin, Vector3 direction) : this() { }
        public Vector3 origin { get; set; }
        public Vector3 direction { get; set; }
        public Vector3 GetPoint(float distance) { throw null; }
        public override string ToString() { throw null; }
        public string ToString(string format) { throw null; }
        public string ToString(string format, IFormatProvider formatProvider) { throw null; }
    }

    public struct LayerMask
    {
        public int value { get; set; }
        public static int GetMask(params string[] layerNames) { throw null; }
        public static int NameToLayer(string layerName) { throw null; }
        public static string LayerToName(int layer) { throw null; }
        public static implicit operator int(LayerMask mask) { throw null; }
        public static implicit operator LayerMask(int intVal) { throw null; }
    }







    public enum RuntimeInitializeLoadType { AfterSceneLoad = 0, BeforeSceneLoad = 1, AfterAssembliesLoaded = 2, BeforeSplashScreen = 3, SubsystemRegistration = 4 }

    [AttributeUsage(AttributeTargets.Field | AttributeTargets.Property, Inherited = true, AllowMultiple = false)]
    public abstract class PropertyAttribute : Attribute
    {
        protected PropertyAttribute() { }
        protected PropertyAttribute(bool applyToCollection) { }
    }

    [AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
    public class RuntimeInitializeOnLoadMethodAttribute : Scripting.PreserveAttribute
    {
        public RuntimeInitializeOnLoadMethodAttribute() { }
        public RuntimeInitializeOnLoadMethodAttribute(RuntimeInitializeLoadType loadType) { }
    }
    public sealed class SerializeField : Attribute { }

    public sealed class HideInInspector : Attribute { }

    [AttributeUsage(AttributeTargets.Field | AttributeTargets.Property, Inherited = true, AllowMultiple = true)]
    public class HeaderAttribute : PropertyAttribute
    {
        public readonly string header;
        public HeaderAttribute(string header) { this.header = header; }
    }

    [AttributeUsage(AttributeTargets.All, Inherited = true, AllowMultiple = false)]
    public class TooltipAttribute : PropertyAttribute
    {
        public readonly string tooltip;
        public TooltipAttribute(string tooltip) { this.tooltip = tooltip; }
    }

    [AttributeUsage(AttributeTargets.Field | AttributeTargets.Property, Inherited = true, AllowMultiple = false)]
    public sealed class RangeAttribute : PropertyAttribute
    {
        public readonly float min;
        public readonly float max;
        public RangeAttribute(float min, float max) { this.min = min; this.max = max; }
    }

    [AttributeUsage(AttributeTargets.Field | AttributeTargets.Property, Inherited = true, AllowMultiple = false)]
    public sealed class MinAttribute : PropertyAttribute
    {
        public readonly float min;
        public MinAttribute(float min) { this.min = min; }
    }

    [AttributeUsage(AttributeTargets.Field, Inherited = true, AllowMultiple = true)]
    public class SpaceAttribute : PropertyAttribute
    {
        public readonly float height;
        public SpaceAttribute() { }
        public SpaceAttribute(float height) { this.height = height; }
    }

    [AttributeUsage(AttributeTargets.Field | AttributeTargets.Property, Inherited = true, AllowMultiple = false)]
    public sealed class TextAreaAttribute : PropertyAttribute
    {
        public readonly int minLines;
        public readonly int maxLines;
        public TextAreaAttribute() { }
        public TextAreaAttribute(int minLines, int maxLines) { this.minLines = minLines; this.maxLines = maxLines; }
    }

    [AttributeUsage(AttributeTargets.Field | AttributeTargets.Property, Inherited = true, AllowMultiple = false)]
    public sealed class MultilineAttribute : PropertyAttribute
    {
        public readonly int lines;
        public MultilineAttribute() { }
        public MultilineAttribute(int lines) { this.lines = lines; }
    }

    [AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
    public sealed class RequireComponent : Attribute
    {
        public Type m_Type0;
        public Type m_Type1;
        public Type m_Type2;
        public RequireComponent(Type requiredComponent) { }
        public RequireComponent(Type requiredComponent, Type requiredComponent2) { }
        public RequireComponent(Type requiredComponent, Type requiredComponent2, Type requiredComponent3) { }
    }

    [AttributeUsage(AttributeTargets.Class, Inherited = false)]
    public sealed class DisallowMultipleComponent : Attribute { }

    public sealed class ExecuteInEditMode : Attribute { }

    public sealed class ExecuteAlways : Attribute { }

    public sealed class AddComponentMenu : Attribute
    {
        public AddComponentMenu(string menuName) { }
        public AddComponentMenu(string menuName, int order) { }
        public string componentMenu { get { throw null; } }
        public int componentOrder { get { throw null; } }
    }

    [AttributeUsage(AttributeTargets.Class)]
    public class DefaultExecutionOrder : Attribute
    {
        public DefaultExecutionOrder(int order) { }
        public int order { get { throw null; } }
    }

    [AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
    public class HelpURLAttribute : Attribute { public HelpURLAttribute(string url) { } }

    [AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
    public sealed class ContextMenu : Attribute
    {
        public readonly string menuItem;
        public readonly bool validate;
        public readonly int priority;
        public ContextMenu(string itemName) { }
        public ContextMenu(string itemName, bool isValidateFunction) { }
        public ContextMenu(string itemName, bool isValidateFunction, int priority) { }
    }
}

namespace UnityEngine.Serialization
{
    [AttributeUsage(AttributeTargets.Field, AllowMultiple = true, Inherited = false)]
    public class FormerlySerializedAsAttribute : System.Attribute
    {
        public FormerlySerializedAsAttribute(string oldName) { }
    }
}

namespace UnityEngine.Scripting
{
    [AttributeUsage(AttributeTargets.Method | AttributeTargets.Class | AttributeTargets.Field | AttributeTargets.Property | AttributeTargets.Constructor | AttributeTargets.Interface | AttributeTargets.Delegate | AttributeTargets.Event | AttributeTargets.Struct | AttributeTargets.Assembly | AttributeTargets.Enum, Inherited = false)]
    public class PreserveAttribute : Attribute { }
}
