// Compile-only stubs of UnityEngine's 3D physics module (UnityEngine.PhysicsModule) as of Unity 6000.0: bodies,
// colliders, joints, queries. Signatures checked against Unity's C# reference source (Unity-Technologies/
// UnityCsReference, tag 6000.0.23f1, Modules/Physics/ScriptBindings/*.cs); our own declarations, bodies throw.
// Members Unity 6 marks obsolete as an error are left out or marked so; the older names that only warn
// (Rigidbody.velocity, drag, angularDrag) stay, as they compile in Unity 6.
#pragma warning disable 0067, 0108, 0114, 0618, 0649
using System;
using System.Collections;
using System.Collections.Generic;

namespace UnityEngine
{
    public enum ForceMode
    {
        Acceleration = 5,
        Force = 0,
        Impulse = 1,
        VelocityChange = 2,
    }

    public enum RigidbodyInterpolation
    {
        Extrapolate = 2,
        Interpolate = 1,
        None = 0,
    }

    public enum CollisionDetectionMode
    {
        Continuous = 1,
        ContinuousDynamic = 2,
        ContinuousSpeculative = 3,
        Discrete = 0,
    }

    public enum RigidbodyConstraints
    {
        FreezeAll = FreezePosition | FreezeRotation,
        FreezePosition = FreezePositionX | FreezePositionY | FreezePositionZ,
        FreezePositionX = 1<<1,
        FreezePositionY = 1<<2,
        FreezePositionZ = 1<<3,
        FreezeRotation = FreezeRotationX | FreezeRotationY | FreezeRotationZ,
        FreezeRotationX = 1<<4,
        FreezeRotationY = 1<<5,
        FreezeRotationZ = 1<<6,
        None = 0,
    }

    public enum QueryTriggerInteraction
    {
        Collide = 2,
        Ignore = 1,
        UseGlobal = 0,
    }

    public enum SimulationMode
    {
        FixedUpdate = 0,
        Script = 2,
        Update = 1,
    }

    public enum PhysicsMaterialCombine
    {
        Average = 0,
        Maximum = 3,
        Minimum = 2,
        Multiply = 1,
    }

    public class PhysicsMaterial : Object
    {
        public PhysicsMaterial() { throw null; }
        public PhysicsMaterial(string name) { throw null; }
        public PhysicsMaterialCombine bounceCombine { get; set; }
        public float bounciness { get; set; }
        public float dynamicFriction { get; set; }
        public PhysicsMaterialCombine frictionCombine { get; set; }
        public float staticFriction { get; set; }
    }

    public class Rigidbody : Component
    {
        public void AddExplosionForce(float explosionForce, Vector3 explosionPosition, float explosionRadius, float upwardsModifier, ForceMode mode) { throw null; }
        public void AddExplosionForce(float explosionForce, Vector3 explosionPosition, float explosionRadius) { throw null; }
        public void AddExplosionForce(float explosionForce, Vector3 explosionPosition, float explosionRadius, float upwardsModifier) { throw null; }
        public void AddForce(Vector3 force, ForceMode mode) { throw null; }
        public void AddForce(Vector3 force) { throw null; }
        public void AddForce(float x, float y, float z) { throw null; }
        public void AddForce(float x, float y, float z, ForceMode mode) { throw null; }
        public void AddForceAtPosition(Vector3 force, Vector3 position, ForceMode mode) { throw null; }
        public void AddForceAtPosition(Vector3 force, Vector3 position) { throw null; }
        public void AddRelativeForce(Vector3 force, ForceMode mode) { throw null; }
        public void AddRelativeForce(Vector3 force) { throw null; }
        public void AddRelativeForce(float x, float y, float z) { throw null; }
        public void AddRelativeForce(float x, float y, float z, ForceMode mode) { throw null; }
        public void AddRelativeTorque(Vector3 torque, ForceMode mode) { throw null; }
        public void AddRelativeTorque(Vector3 torque) { throw null; }
        public void AddRelativeTorque(float x, float y, float z) { throw null; }
        public void AddRelativeTorque(float x, float y, float z, ForceMode mode) { throw null; }
        public void AddTorque(Vector3 torque, ForceMode mode) { throw null; }
        public void AddTorque(Vector3 torque) { throw null; }
        public void AddTorque(float x, float y, float z) { throw null; }
        public void AddTorque(float x, float y, float z, ForceMode mode) { throw null; }
        public Vector3 ClosestPointOnBounds(Vector3 position) { throw null; }
        public Vector3 GetAccumulatedForce() { throw null; }
        public Vector3 GetAccumulatedForce(float step) { throw null; }
        public Vector3 GetAccumulatedTorque() { throw null; }
        public Vector3 GetAccumulatedTorque(float step) { throw null; }
        public Vector3 GetPointVelocity(Vector3 worldPoint) { throw null; }
        public Vector3 GetRelativePointVelocity(Vector3 relativePoint) { throw null; }
        public bool IsSleeping() { throw null; }
        public void Move(Vector3 position, Quaternion rotation) { throw null; }
        public void MovePosition(Vector3 position) { throw null; }
        public void MoveRotation(Quaternion rot) { throw null; }
        public void PublishTransform() { throw null; }
        public void ResetCenterOfMass() { throw null; }
        public void ResetInertiaTensor() { throw null; }
        public void SetDensity(float density) { throw null; }
        [Obsolete] public void SetMaxAngularVelocity(float a) { throw null; }
        public void Sleep() { throw null; }
        public bool SweepTest(Vector3 direction, out RaycastHit hitInfo) { throw null; }
        public bool SweepTest(Vector3 direction, out RaycastHit hitInfo, float maxDistance) { throw null; }
        public bool SweepTest(Vector3 direction, out RaycastHit hitInfo, float maxDistance, QueryTriggerInteraction queryTriggerInteraction) { throw null; }
        public RaycastHit[] SweepTestAll(Vector3 direction) { throw null; }
        public RaycastHit[] SweepTestAll(Vector3 direction, float maxDistance) { throw null; }
        public RaycastHit[] SweepTestAll(Vector3 direction, float maxDistance, QueryTriggerInteraction queryTriggerInteraction) { throw null; }
        public void WakeUp() { throw null; }
        public float angularDamping { get; set; }
        [Obsolete] public float angularDrag { get; set; }
        public Vector3 angularVelocity { get; set; }
        public bool automaticCenterOfMass { get; set; }
        public bool automaticInertiaTensor { get; set; }
        public Vector3 centerOfMass { get; set; }
        public CollisionDetectionMode collisionDetectionMode { get; set; }
        public RigidbodyConstraints constraints { get; set; }
        public bool detectCollisions { get; set; }
        [Obsolete] public float drag { get; set; }
        public LayerMask excludeLayers { get; set; }
        public bool freezeRotation { get; set; }
        public LayerMask includeLayers { get; set; }
        public Vector3 inertiaTensor { get; set; }
        public Quaternion inertiaTensorRotation { get; set; }
        public RigidbodyInterpolation interpolation { get; set; }
        public bool isKinematic { get; set; }
        public float linearDamping { get; set; }
        public Vector3 linearVelocity { get; set; }
        public float mass { get; set; }
        public float maxAngularVelocity { get; set; }
        public float maxDepenetrationVelocity { get; set; }
        public float maxLinearVelocity { get; set; }
        public Vector3 position { get; set; }
        public Quaternion rotation { get; set; }
        public float sleepThreshold { get; set; }
        public int solverIterations { get; set; }
        public int solverVelocityIterations { get; set; }
        public bool useGravity { get; set; }
        [Obsolete] public Vector3 velocity { get; set; }
        public Vector3 worldCenterOfMass { get { throw null; } }
    }

    public class Collider : Component
    {
        public Vector3 ClosestPoint(Vector3 position) { throw null; }
        public Vector3 ClosestPointOnBounds(Vector3 position) { throw null; }
        public bool Raycast(Ray ray, out RaycastHit hitInfo, float maxDistance) { throw null; }
        public Rigidbody attachedRigidbody { get { throw null; } }
        public Bounds bounds { get { throw null; } }
        public float contactOffset { get; set; }
        public bool enabled { get; set; }
        public LayerMask excludeLayers { get; set; }
        public bool hasModifiableContacts { get; set; }
        public LayerMask includeLayers { get; set; }
        public bool isTrigger { get; set; }
        public int layerOverridePriority { get; set; }
        public PhysicsMaterial material { get; set; }
        public bool providesContacts { get; set; }
        public PhysicsMaterial sharedMaterial { get; set; }
    }

    public class BoxCollider : Collider
    {
        public Vector3 center { get; set; }
        [Obsolete] public Vector3 extents { get; set; }
        public Vector3 size { get; set; }
    }

    public class SphereCollider : Collider
    {
        public Vector3 center { get; set; }
        public float radius { get; set; }
    }

    public class CapsuleCollider : Collider
    {
        public Vector3 center { get; set; }
        public int direction { get; set; }
        public float height { get; set; }
        public float radius { get; set; }
    }

    public class MeshCollider : Collider
    {
        public bool convex { get; set; }
        public MeshColliderCookingOptions cookingOptions { get; set; }
        [Obsolete] public bool inflateMesh { get; set; }
        public Mesh sharedMesh { get; set; }
        [Obsolete] public float skinWidth { get; set; }
    }

    [Flags] public enum MeshColliderCookingOptions
    {
        CookForFasterSimulation = 1<<1,
        EnableMeshCleaning = 1<<2,
        InflateConvexMesh = 1<<0,
        None = 0,
        UseFastMidphase = 1<<4,
        WeldColocatedVertices = 1<<3,
    }

    public class CharacterController : Collider
    {
        public CollisionFlags Move(Vector3 motion) { throw null; }
        public bool SimpleMove(Vector3 speed) { throw null; }
        public Vector3 center { get; set; }
        public CollisionFlags collisionFlags { get { throw null; } }
        public bool detectCollisions { get; set; }
        public bool enableOverlapRecovery { get; set; }
        public float height { get; set; }
        public bool isGrounded { get { throw null; } }
        public float minMoveDistance { get; set; }
        public float radius { get; set; }
        public float skinWidth { get; set; }
        public float slopeLimit { get; set; }
        public float stepOffset { get; set; }
        public Vector3 velocity { get { throw null; } }
    }

    public enum CollisionFlags
    {
        Above = 2,
        Below = 4,
        CollidedAbove = 2,
        CollidedBelow = 4,
        CollidedSides = 1,
        None = 0,
        Sides = 1,
    }

    public class ControllerColliderHit
    {
        public Collider collider { get { throw null; } }
        public CharacterController controller { get { throw null; } }
        public GameObject gameObject { get { throw null; } }
        public Vector3 moveDirection { get { throw null; } }
        public float moveLength { get { throw null; } }
        public Vector3 normal { get { throw null; } }
        public Vector3 point { get { throw null; } }
        public Rigidbody rigidbody { get { throw null; } }
        public Transform transform { get { throw null; } }
    }

    public struct ContactPoint
    {
        public Vector3 impulse { get { throw null; } }
        public Vector3 normal { get { throw null; } }
        public Collider otherCollider { get { throw null; } }
        public Vector3 point { get { throw null; } }
        public float separation { get { throw null; } }
        public Collider thisCollider { get { throw null; } }
    }

    public class Collision
    {
        public ContactPoint GetContact(int index) { throw null; }
        public int GetContacts(ContactPoint[] contacts) { throw null; }
        public int GetContacts(List<ContactPoint> contacts) { throw null; }
        [Obsolete] public virtual IEnumerator GetEnumerator() { throw null; }
        public Component body { get { throw null; } }
        public Collider collider { get { throw null; } }
        public int contactCount { get { throw null; } }
        public ContactPoint[] contacts { get { throw null; } }
        public GameObject gameObject { get { throw null; } }
        [Obsolete] public Vector3 impactForceSum { get { throw null; } }
        public Vector3 impulse { get { throw null; } }
        [Obsolete] public Component other { get { throw null; } }
        public Vector3 relativeVelocity { get { throw null; } }
        public Rigidbody rigidbody { get { throw null; } }
        public Transform transform { get { throw null; } }
    }

    public struct RaycastHit
    {
        public Vector3 barycentricCoordinate { get; set; }
        public Collider collider { get { throw null; } }
        public int colliderInstanceID { get { throw null; } }
        public float distance { get; set; }
        public Vector2 lightmapCoord { get { throw null; } }
        public Vector3 normal { get; set; }
        public Vector3 point { get; set; }
        public Rigidbody rigidbody { get { throw null; } }
        public Vector2 textureCoord { get { throw null; } }
        [Obsolete] public Vector2 textureCoord1 { get { throw null; } }
        public Vector2 textureCoord2 { get { throw null; } }
        public Transform transform { get { throw null; } }
        public int triangleIndex { get { throw null; } }
    }

    public class Physics
    {
        public const int AllLayers = ~0;
        public const int DefaultRaycastLayers = ~IgnoreRaycastLayer;
        public const int IgnoreRaycastLayer = 1<<2;
        public static void BakeMesh(int meshID, bool convex, MeshColliderCookingOptions cookingOptions) { throw null; }
        public static void BakeMesh(int meshID, bool convex) { throw null; }
        public static bool BoxCast(Vector3 center, Vector3 halfExtents, Vector3 direction) { throw null; }
        public static bool BoxCast(Vector3 center, Vector3 halfExtents, Vector3 direction, Quaternion orientation) { throw null; }
        public static bool BoxCast(Vector3 center, Vector3 halfExtents, Vector3 direction, Quaternion orientation, float maxDistance) { throw null; }
        public static bool BoxCast(Vector3 center, Vector3 halfExtents, Vector3 direction, Quaternion orientation, float maxDistance, int layerMask) { throw null; }
        public static bool BoxCast(Vector3 center, Vector3 halfExtents, Vector3 direction, Quaternion orientation, float maxDistance, int layerMask, QueryTriggerInteraction queryTriggerInteraction) { throw null; }
        public static bool BoxCast(Vector3 center, Vector3 halfExtents, Vector3 direction, out RaycastHit hitInfo) { throw null; }
        public static bool BoxCast(Vector3 center, Vector3 halfExtents, Vector3 direction, out RaycastHit hitInfo, Quaternion orientation) { throw null; }
        public static bool BoxCast(Vector3 center, Vector3 halfExtents, Vector3 direction, out RaycastHit hitInfo, Quaternion orientation, float maxDistance) { throw null; }
        public static bool BoxCast(Vector3 center, Vector3 halfExtents, Vector3 direction, out RaycastHit hitInfo, Quaternion orientation, float maxDistance, int layerMask) { throw null; }
        public static bool BoxCast(Vector3 center, Vector3 halfExtents, Vector3 direction, out RaycastHit hitInfo, Quaternion orientation, float maxDistance, int layerMask, QueryTriggerInteraction queryTriggerInteraction) { throw null; }
        public static RaycastHit[] BoxCastAll(Vector3 center, Vector3 halfExtents, Vector3 direction) { throw null; }
        public static RaycastHit[] BoxCastAll(Vector3 center, Vector3 halfExtents, Vector3 direction, Quaternion orientation) { throw null; }
        public static RaycastHit[] BoxCastAll(Vector3 center, Vector3 halfExtents, Vector3 direction, Quaternion orientation, float maxDistance) { throw null; }
        public static RaycastHit[] BoxCastAll(Vector3 center, Vector3 halfExtents, Vector3 direction, Quaternion orientation, float maxDistance, int layerMask) { throw null; }
        public static RaycastHit[] BoxCastAll(Vector3 center, Vector3 halfExtents, Vector3 direction, Quaternion orientation, float maxDistance, int layerMask, QueryTriggerInteraction queryTriggerInteraction) { throw null; }
        public static int BoxCastNonAlloc(Vector3 center, Vector3 halfExtents, Vector3 direction, RaycastHit[] results) { throw null; }
        public static int BoxCastNonAlloc(Vector3 center, Vector3 halfExtents, Vector3 direction, RaycastHit[] results, Quaternion orientation) { throw null; }
        public static int BoxCastNonAlloc(Vector3 center, Vector3 halfExtents, Vector3 direction, RaycastHit[] results, Quaternion orientation, float maxDistance) { throw null; }
        public static int BoxCastNonAlloc(Vector3 center, Vector3 halfExtents, Vector3 direction, RaycastHit[] results, Quaternion orientation, float maxDistance, int layerMask) { throw null; }
        public static int BoxCastNonAlloc(Vector3 center, Vector3 halfExtents, Vector3 direction, RaycastHit[] results, Quaternion orientation, float maxDistance, int layerMask, QueryTriggerInteraction queryTriggerInteraction) { throw null; }
        public static bool CapsuleCast(Vector3 point1, Vector3 point2, float radius, Vector3 direction) { throw null; }
        public static bool CapsuleCast(Vector3 point1, Vector3 point2, float radius, Vector3 direction, float maxDistance) { throw null; }
        public static bool CapsuleCast(Vector3 point1, Vector3 point2, float radius, Vector3 direction, float maxDistance, int layerMask) { throw null; }
        public static bool CapsuleCast(Vector3 point1, Vector3 point2, float radius, Vector3 direction, float maxDistance, int layerMask, QueryTriggerInteraction queryTriggerInteraction) { throw null; }
        public static bool CapsuleCast(Vector3 point1, Vector3 point2, float radius, Vector3 direction, out RaycastHit hitInfo) { throw null; }
        public static bool CapsuleCast(Vector3 point1, Vector3 point2, float radius, Vector3 direction, out RaycastHit hitInfo, float maxDistance) { throw null; }
        public static bool CapsuleCast(Vector3 point1, Vector3 point2, float radius, Vector3 direction, out RaycastHit hitInfo, float maxDistance, int layerMask) { throw null; }
        public static bool CapsuleCast(Vector3 point1, Vector3 point2, float radius, Vector3 direction, out RaycastHit hitInfo, float maxDistance, int layerMask, QueryTriggerInteraction queryTriggerInteraction) { throw null; }
        public static RaycastHit[] CapsuleCastAll(Vector3 point1, Vector3 point2, float radius, Vector3 direction) { throw null; }
        public static RaycastHit[] CapsuleCastAll(Vector3 point1, Vector3 point2, float radius, Vector3 direction, float maxDistance) { throw null; }
        public static RaycastHit[] CapsuleCastAll(Vector3 point1, Vector3 point2, float radius, Vector3 direction, float maxDistance, int layerMask) { throw null; }
        public static RaycastHit[] CapsuleCastAll(Vector3 point1, Vector3 point2, float radius, Vector3 direction, float maxDistance, int layerMask, QueryTriggerInteraction queryTriggerInteraction) { throw null; }
        public static int CapsuleCastNonAlloc(Vector3 point1, Vector3 point2, float radius, Vector3 direction, RaycastHit[] results) { throw null; }
        public static int CapsuleCastNonAlloc(Vector3 point1, Vector3 point2, float radius, Vector3 direction, RaycastHit[] results, float maxDistance) { throw null; }
        public static int CapsuleCastNonAlloc(Vector3 point1, Vector3 point2, float radius, Vector3 direction, RaycastHit[] results, float maxDistance, int layerMask) { throw null; }
        public static int CapsuleCastNonAlloc(Vector3 point1, Vector3 point2, float radius, Vector3 direction, RaycastHit[] results, float maxDistance, int layerMask, QueryTriggerInteraction queryTriggerInteraction) { throw null; }
        public static bool CheckBox(Vector3 center, Vector3 halfExtents) { throw null; }
        public static bool CheckBox(Vector3 center, Vector3 halfExtents, Quaternion orientation) { throw null; }
        public static bool CheckBox(Vector3 center, Vector3 halfExtents, Quaternion orientation, int layerMask) { throw null; }
        public static bool CheckBox(Vector3 center, Vector3 halfExtents, Quaternion orientation, int layermask, QueryTriggerInteraction queryTriggerInteraction) { throw null; }
        public static bool CheckCapsule(Vector3 start, Vector3 end, float radius) { throw null; }
        public static bool CheckCapsule(Vector3 start, Vector3 end, float radius, int layerMask) { throw null; }
        public static bool CheckCapsule(Vector3 start, Vector3 end, float radius, int layerMask, QueryTriggerInteraction queryTriggerInteraction) { throw null; }
        public static bool CheckSphere(Vector3 position, float radius) { throw null; }
        public static bool CheckSphere(Vector3 position, float radius, int layerMask) { throw null; }
        public static bool CheckSphere(Vector3 position, float radius, int layerMask, QueryTriggerInteraction queryTriggerInteraction) { throw null; }
        public static Vector3 ClosestPoint(Vector3 point, Collider collider, Vector3 position, Quaternion rotation) { throw null; }
        public static bool ComputePenetration(Collider colliderA, Vector3 positionA, Quaternion rotationA, Collider colliderB, Vector3 positionB, Quaternion rotationB, out Vector3 direction, out float distance) { throw null; }
        public static bool GetIgnoreCollision(Collider collider1, Collider collider2) { throw null; }
        public static bool GetIgnoreLayerCollision(int layer1, int layer2) { throw null; }
        public static void IgnoreCollision(Collider collider1, Collider collider2, bool ignore) { throw null; }
        public static void IgnoreCollision(Collider collider1, Collider collider2) { throw null; }
        public static void IgnoreLayerCollision(int layer1, int layer2, bool ignore) { throw null; }
        public static void IgnoreLayerCollision(int layer1, int layer2) { throw null; }
        public static bool Linecast(Vector3 start, Vector3 end) { throw null; }
        public static bool Linecast(Vector3 start, Vector3 end, int layerMask) { throw null; }
        public static bool Linecast(Vector3 start, Vector3 end, int layerMask, QueryTriggerInteraction queryTriggerInteraction) { throw null; }
        public static bool Linecast(Vector3 start, Vector3 end, out RaycastHit hitInfo) { throw null; }
        public static bool Linecast(Vector3 start, Vector3 end, out RaycastHit hitInfo, int layerMask) { throw null; }
        public static bool Linecast(Vector3 start, Vector3 end, out RaycastHit hitInfo, int layerMask, QueryTriggerInteraction queryTriggerInteraction) { throw null; }
        public static Collider[] OverlapBox(Vector3 center, Vector3 halfExtents) { throw null; }
        public static Collider[] OverlapBox(Vector3 center, Vector3 halfExtents, Quaternion orientation) { throw null; }
        public static Collider[] OverlapBox(Vector3 center, Vector3 halfExtents, Quaternion orientation, int layerMask) { throw null; }
        public static Collider[] OverlapBox(Vector3 center, Vector3 halfExtents, Quaternion orientation, int layerMask, QueryTriggerInteraction queryTriggerInteraction) { throw null; }
        public static int OverlapBoxNonAlloc(Vector3 center, Vector3 halfExtents, Collider[] results) { throw null; }
        public static int OverlapBoxNonAlloc(Vector3 center, Vector3 halfExtents, Collider[] results, Quaternion orientation) { throw null; }
        public static int OverlapBoxNonAlloc(Vector3 center, Vector3 halfExtents, Collider[] results, Quaternion orientation, int mask) { throw null; }
        public static int OverlapBoxNonAlloc(Vector3 center, Vector3 halfExtents, Collider[] results, Quaternion orientation, int mask, QueryTriggerInteraction queryTriggerInteraction) { throw null; }
        public static Collider[] OverlapCapsule(Vector3 point0, Vector3 point1, float radius) { throw null; }
        public static Collider[] OverlapCapsule(Vector3 point0, Vector3 point1, float radius, int layerMask) { throw null; }
        public static Collider[] OverlapCapsule(Vector3 point0, Vector3 point1, float radius, int layerMask, QueryTriggerInteraction queryTriggerInteraction) { throw null; }
        public static int OverlapCapsuleNonAlloc(Vector3 point0, Vector3 point1, float radius, Collider[] results) { throw null; }
        public static int OverlapCapsuleNonAlloc(Vector3 point0, Vector3 point1, float radius, Collider[] results, int layerMask) { throw null; }
        public static int OverlapCapsuleNonAlloc(Vector3 point0, Vector3 point1, float radius, Collider[] results, int layerMask, QueryTriggerInteraction queryTriggerInteraction) { throw null; }
        public static Collider[] OverlapSphere(Vector3 position, float radius) { throw null; }
        public static Collider[] OverlapSphere(Vector3 position, float radius, int layerMask) { throw null; }
        public static Collider[] OverlapSphere(Vector3 position, float radius, int layerMask, QueryTriggerInteraction queryTriggerInteraction) { throw null; }
        public static int OverlapSphereNonAlloc(Vector3 position, float radius, Collider[] results) { throw null; }
        public static int OverlapSphereNonAlloc(Vector3 position, float radius, Collider[] results, int layerMask) { throw null; }
        public static int OverlapSphereNonAlloc(Vector3 position, float radius, Collider[] results, int layerMask, QueryTriggerInteraction queryTriggerInteraction) { throw null; }
        public static bool Raycast(Ray ray) { throw null; }
        public static bool Raycast(Ray ray, float maxDistance) { throw null; }
        public static bool Raycast(Ray ray, float maxDistance, int layerMask) { throw null; }
        public static bool Raycast(Ray ray, float maxDistance, int layerMask, QueryTriggerInteraction queryTriggerInteraction) { throw null; }
        public static bool Raycast(Ray ray, out RaycastHit hitInfo) { throw null; }
        public static bool Raycast(Ray ray, out RaycastHit hitInfo, float maxDistance) { throw null; }
        public static bool Raycast(Ray ray, out RaycastHit hitInfo, float maxDistance, int layerMask) { throw null; }
        public static bool Raycast(Ray ray, out RaycastHit hitInfo, float maxDistance, int layerMask, QueryTriggerInteraction queryTriggerInteraction) { throw null; }
        public static bool Raycast(Vector3 origin, Vector3 direction) { throw null; }
        public static bool Raycast(Vector3 origin, Vector3 direction, float maxDistance) { throw null; }
        public static bool Raycast(Vector3 origin, Vector3 direction, float maxDistance, int layerMask) { throw null; }
        public static bool Raycast(Vector3 origin, Vector3 direction, float maxDistance, int layerMask, QueryTriggerInteraction queryTriggerInteraction) { throw null; }
        public static bool Raycast(Vector3 origin, Vector3 direction, out RaycastHit hitInfo) { throw null; }
        public static bool Raycast(Vector3 origin, Vector3 direction, out RaycastHit hitInfo, float maxDistance) { throw null; }
        public static bool Raycast(Vector3 origin, Vector3 direction, out RaycastHit hitInfo, float maxDistance, int layerMask) { throw null; }
        public static bool Raycast(Vector3 origin, Vector3 direction, out RaycastHit hitInfo, float maxDistance, int layerMask, QueryTriggerInteraction queryTriggerInteraction) { throw null; }
        public static RaycastHit[] RaycastAll(Ray ray) { throw null; }
        public static RaycastHit[] RaycastAll(Ray ray, float maxDistance) { throw null; }
        public static RaycastHit[] RaycastAll(Ray ray, float maxDistance, int layerMask) { throw null; }
        public static RaycastHit[] RaycastAll(Ray ray, float maxDistance, int layerMask, QueryTriggerInteraction queryTriggerInteraction) { throw null; }
        public static RaycastHit[] RaycastAll(Vector3 origin, Vector3 direction) { throw null; }
        public static RaycastHit[] RaycastAll(Vector3 origin, Vector3 direction, float maxDistance) { throw null; }
        public static RaycastHit[] RaycastAll(Vector3 origin, Vector3 direction, float maxDistance, int layerMask) { throw null; }
        public static RaycastHit[] RaycastAll(Vector3 origin, Vector3 direction, float maxDistance, int layerMask, QueryTriggerInteraction queryTriggerInteraction) { throw null; }
        public static int RaycastNonAlloc(Ray ray, RaycastHit[] results) { throw null; }
        public static int RaycastNonAlloc(Ray ray, RaycastHit[] results, float maxDistance) { throw null; }
        public static int RaycastNonAlloc(Ray ray, RaycastHit[] results, float maxDistance, int layerMask) { throw null; }
        public static int RaycastNonAlloc(Ray ray, RaycastHit[] results, float maxDistance, int layerMask, QueryTriggerInteraction queryTriggerInteraction) { throw null; }
        public static int RaycastNonAlloc(Vector3 origin, Vector3 direction, RaycastHit[] results) { throw null; }
        public static int RaycastNonAlloc(Vector3 origin, Vector3 direction, RaycastHit[] results, float maxDistance) { throw null; }
        public static int RaycastNonAlloc(Vector3 origin, Vector3 direction, RaycastHit[] results, float maxDistance, int layerMask) { throw null; }
        public static int RaycastNonAlloc(Vector3 origin, Vector3 direction, RaycastHit[] results, float maxDistance, int layerMask, QueryTriggerInteraction queryTriggerInteraction) { throw null; }
        [Obsolete] public static void RebuildBroadphaseRegions(Bounds worldBounds, int subdivisions) { throw null; }
        public static void Simulate(float step) { throw null; }
        public static bool SphereCast(Ray ray, float radius) { throw null; }
        public static bool SphereCast(Ray ray, float radius, float maxDistance) { throw null; }
        public static bool SphereCast(Ray ray, float radius, float maxDistance, int layerMask) { throw null; }
        public static bool SphereCast(Ray ray, float radius, float maxDistance, int layerMask, QueryTriggerInteraction queryTriggerInteraction) { throw null; }
        public static bool SphereCast(Ray ray, float radius, out RaycastHit hitInfo) { throw null; }
        public static bool SphereCast(Ray ray, float radius, out RaycastHit hitInfo, float maxDistance) { throw null; }
        public static bool SphereCast(Ray ray, float radius, out RaycastHit hitInfo, float maxDistance, int layerMask) { throw null; }
        public static bool SphereCast(Ray ray, float radius, out RaycastHit hitInfo, float maxDistance, int layerMask, QueryTriggerInteraction queryTriggerInteraction) { throw null; }
        public static bool SphereCast(Vector3 origin, float radius, Vector3 direction, out RaycastHit hitInfo) { throw null; }
        public static bool SphereCast(Vector3 origin, float radius, Vector3 direction, out RaycastHit hitInfo, float maxDistance) { throw null; }
        public static bool SphereCast(Vector3 origin, float radius, Vector3 direction, out RaycastHit hitInfo, float maxDistance, int layerMask) { throw null; }
        public static bool SphereCast(Vector3 origin, float radius, Vector3 direction, out RaycastHit hitInfo, float maxDistance, int layerMask, QueryTriggerInteraction queryTriggerInteraction) { throw null; }
        public static RaycastHit[] SphereCastAll(Ray ray, float radius) { throw null; }
        public static RaycastHit[] SphereCastAll(Ray ray, float radius, float maxDistance) { throw null; }
        public static RaycastHit[] SphereCastAll(Ray ray, float radius, float maxDistance, int layerMask) { throw null; }
        public static RaycastHit[] SphereCastAll(Ray ray, float radius, float maxDistance, int layerMask, QueryTriggerInteraction queryTriggerInteraction) { throw null; }
        public static RaycastHit[] SphereCastAll(Vector3 origin, float radius, Vector3 direction) { throw null; }
        public static RaycastHit[] SphereCastAll(Vector3 origin, float radius, Vector3 direction, float maxDistance) { throw null; }
        public static RaycastHit[] SphereCastAll(Vector3 origin, float radius, Vector3 direction, float maxDistance, int layerMask) { throw null; }
        public static RaycastHit[] SphereCastAll(Vector3 origin, float radius, Vector3 direction, float maxDistance, int layerMask, QueryTriggerInteraction queryTriggerInteraction) { throw null; }
        public static int SphereCastNonAlloc(Ray ray, float radius, RaycastHit[] results) { throw null; }
        public static int SphereCastNonAlloc(Ray ray, float radius, RaycastHit[] results, float maxDistance) { throw null; }
        public static int SphereCastNonAlloc(Ray ray, float radius, RaycastHit[] results, float maxDistance, int layerMask) { throw null; }
        public static int SphereCastNonAlloc(Ray ray, float radius, RaycastHit[] results, float maxDistance, int layerMask, QueryTriggerInteraction queryTriggerInteraction) { throw null; }
        public static int SphereCastNonAlloc(Vector3 origin, float radius, Vector3 direction, RaycastHit[] results) { throw null; }
        public static int SphereCastNonAlloc(Vector3 origin, float radius, Vector3 direction, RaycastHit[] results, float maxDistance) { throw null; }
        public static int SphereCastNonAlloc(Vector3 origin, float radius, Vector3 direction, RaycastHit[] results, float maxDistance, int layerMask) { throw null; }
        public static int SphereCastNonAlloc(Vector3 origin, float radius, Vector3 direction, RaycastHit[] results, float maxDistance, int layerMask, QueryTriggerInteraction queryTriggerInteraction) { throw null; }
        public static void SyncTransforms() { throw null; }
        [Obsolete] public static bool autoSimulation { get; set; }
        public static bool autoSyncTransforms { get; set; }
        public static float bounceThreshold { get; set; }
        [Obsolete] public static float bounceTreshold { get; set; }
        public static Vector3 clothGravity { get; set; }
        public static float defaultContactOffset { get; set; }
        public static float defaultMaxAngularSpeed { get; set; }
        public static float defaultMaxDepenetrationVelocity { get; set; }
        public static int defaultSolverIterations { get; set; }
        public static int defaultSolverVelocityIterations { get; set; }
        public static Vector3 gravity { get; set; }
        public static bool improvedPatchFriction { get; set; }
        public static float interCollisionDistance { get; set; }
        public static bool interCollisionSettingsToggle { get; set; }
        public static float interCollisionStiffness { get; set; }
        public static bool invokeCollisionCallbacks { get; set; }
        public static bool queriesHitBackfaces { get; set; }
        public static bool queriesHitTriggers { get; set; }
        public static bool reuseCollisionCallbacks { get; set; }
        public static SimulationMode simulationMode { get; set; }
        public static float sleepThreshold { get; set; }
        [Obsolete] public static int solverIterationCount { get; set; }
        [Obsolete] public static int solverVelocityIterationCount { get; set; }
    }

    public class Joint : Component
    {
        public Vector3 anchor { get; set; }
        public bool autoConfigureConnectedAnchor { get; set; }
        public Vector3 axis { get; set; }
        public float breakForce { get; set; }
        public float breakTorque { get; set; }
        public Vector3 connectedAnchor { get; set; }
        public Rigidbody connectedBody { get; set; }
        public float connectedMassScale { get; set; }
        public Vector3 currentForce { get { throw null; } }
        public Vector3 currentTorque { get { throw null; } }
        public bool enableCollision { get; set; }
        public bool enablePreprocessing { get; set; }
        public float massScale { get; set; }
    }

    public class ConfigurableJoint : Joint
    {
        public JointDrive angularXDrive { get; set; }
        public SoftJointLimitSpring angularXLimitSpring { get; set; }
        public ConfigurableJointMotion angularXMotion { get; set; }
        public SoftJointLimit angularYLimit { get; set; }
        public ConfigurableJointMotion angularYMotion { get; set; }
        public JointDrive angularYZDrive { get; set; }
        public SoftJointLimitSpring angularYZLimitSpring { get; set; }
        public SoftJointLimit angularZLimit { get; set; }
        public ConfigurableJointMotion angularZMotion { get; set; }
        public bool configuredInWorldSpace { get; set; }
        public SoftJointLimit highAngularXLimit { get; set; }
        public SoftJointLimit linearLimit { get; set; }
        public SoftJointLimitSpring linearLimitSpring { get; set; }
        public SoftJointLimit lowAngularXLimit { get; set; }
        public float projectionAngle { get; set; }
        public float projectionDistance { get; set; }
        public JointProjectionMode projectionMode { get; set; }
        public RotationDriveMode rotationDriveMode { get; set; }
        public Vector3 secondaryAxis { get; set; }
        public JointDrive slerpDrive { get; set; }
        public bool swapBodies { get; set; }
        public Vector3 targetAngularVelocity { get; set; }
        public Vector3 targetPosition { get; set; }
        public Quaternion targetRotation { get; set; }
        public Vector3 targetVelocity { get; set; }
        public JointDrive xDrive { get; set; }
        public ConfigurableJointMotion xMotion { get; set; }
        public JointDrive yDrive { get; set; }
        public ConfigurableJointMotion yMotion { get; set; }
        public JointDrive zDrive { get; set; }
        public ConfigurableJointMotion zMotion { get; set; }
    }

    public struct JointDrive
    {
        public float maximumForce { get; set; }
        public float positionDamper { get; set; }
        public float positionSpring { get; set; }
        public bool useAcceleration { get; set; }
    }

    public struct SoftJointLimit
    {
        public float bounciness { get; set; }
        public float contactDistance { get; set; }
        public float limit { get; set; }
    }

    public struct SoftJointLimitSpring
    {
        public float damper { get; set; }
        public float spring { get; set; }
    }

    public enum ConfigurableJointMotion
    {
        Free = 2,
        Limited = 1,
        Locked = 0,
    }

    public enum RotationDriveMode
    {
        Slerp = 1,
        XYAndZ = 0,
    }

    public enum JointProjectionMode
    {
        None = 0,
        PositionAndRotation = 1,
        PositionOnly = 2,
    }

    public class HingeJoint : Joint
    {
        public float angle { get { throw null; } }
        public bool extendedLimits { get; set; }
        public JointLimits limits { get; set; }
        public JointMotor motor { get; set; }
        public JointSpring spring { get; set; }
        public bool useAcceleration { get; set; }
        public bool useLimits { get; set; }
        public bool useMotor { get; set; }
        public bool useSpring { get; set; }
        public float velocity { get { throw null; } }
    }

    public struct JointMotor
    {
        public float force { get; set; }
        public bool freeSpin { get; set; }
        public float targetVelocity { get; set; }
    }

    public struct JointLimits
    {
        public float bounceMinVelocity { get; set; }
        public float bounciness { get; set; }
        public float contactDistance { get; set; }
        public float max { get; set; }
        public float min { get; set; }
    }

    public struct JointSpring
    {
        public float damper;
        public float spring;
        public float targetPosition;
    }

    public class FixedJoint : Joint
    {
    }

    public class SpringJoint : Joint
    {
        public float damper { get; set; }
        public float maxDistance { get; set; }
        public float minDistance { get; set; }
        public float spring { get; set; }
        public float tolerance { get; set; }
    }

    public class CharacterJoint : Joint
    {
        public bool enableProjection { get; set; }
        public SoftJointLimit highTwistLimit { get; set; }
        public SoftJointLimit lowTwistLimit { get; set; }
        public float projectionAngle { get; set; }
        public float projectionDistance { get; set; }
        public SoftJointLimit swing1Limit { get; set; }
        public SoftJointLimit swing2Limit { get; set; }
        public Vector3 swingAxis { get; set; }
        public SoftJointLimitSpring swingLimitSpring { get; set; }
        public SoftJointLimitSpring twistLimitSpring { get; set; }
    }

    [Obsolete("PhysicMaterial has been renamed to PhysicsMaterial in Unity 6. Use PhysicsMaterial instead.", true)]
    public class PhysicMaterial : Object
    {
        public PhysicMaterial() { }
        public PhysicMaterial(string name) { }
    }

    [Obsolete("PhysicMaterialCombine has been renamed to PhysicsMaterialCombine in Unity 6.", true)]
    public enum PhysicMaterialCombine { Average = 0, Minimum = 2, Multiply = 1, Maximum = 3 }
}
