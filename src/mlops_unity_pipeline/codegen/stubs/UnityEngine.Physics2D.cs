// Compile-only stubs of UnityEngine's 2D physics module (UnityEngine.Physics2DModule) as of Unity 6000.0, for
// code around RayPerceptionSensorComponent2D: bodies, colliders, collisions and the Physics2D queries. Signatures
// checked against Unity's C# reference source (Unity-Technologies/UnityCsReference, tag 6000.0.23f1,
// Modules/Physics2D/ScriptBindings/*.cs); our own declarations, bodies throw. Members over types we do not model
// (contact filters, joints 2D, composite shapes...) are left out.
#pragma warning disable 0618
using System;
using System.Collections.Generic;

namespace UnityEngine
{
    public enum ForceMode2D
    {
        Force = 0,
        Impulse = 1,
    }

    public enum RigidbodyType2D
    {
        Dynamic = 0,
        Kinematic = 1,
        Static = 2,
    }

    [Flags] public enum RigidbodyConstraints2D
    {
        FreezeAll = FreezePosition | FreezeRotation,
        FreezePosition = FreezePositionX | FreezePositionY,
        FreezePositionX = 1<<0,
        FreezePositionY = 1<<1,
        FreezeRotation = 1<<2,
        None = 0,
    }

    public enum RigidbodyInterpolation2D
    {
        Extrapolate = 2,
        Interpolate = 1,
        None = 0,
    }

    public enum CollisionDetectionMode2D
    {
        Continuous = 1,
        Discrete = 0,
        None = 0,
    }

    public sealed class PhysicsMaterial2D : Object
    {
        public PhysicsMaterial2D() { throw null; }
        public PhysicsMaterial2D(string name) { throw null; }
        public float bounciness { get; set; }
        public float friction { get; set; }
    }

    public sealed class Rigidbody2D : Component
    {
        public void AddForce(Vector2 force) { throw null; }
        public void AddForce(Vector2 force, ForceMode2D mode = ForceMode2D.Force) { throw null; }
        public void AddForceAtPosition(Vector2 force, Vector2 position, ForceMode2D mode) { throw null; }
        public void AddForceAtPosition(Vector2 force, Vector2 position) { throw null; }
        public void AddForceX(float force, ForceMode2D mode = ForceMode2D.Force) { throw null; }
        public void AddForceY(float force, ForceMode2D mode = ForceMode2D.Force) { throw null; }
        public void AddRelativeForce(Vector2 relativeForce) { throw null; }
        public void AddRelativeForce(Vector2 relativeForce, ForceMode2D mode = ForceMode2D.Force) { throw null; }
        public void AddRelativeForceX(float force, ForceMode2D mode = ForceMode2D.Force) { throw null; }
        public void AddRelativeForceY(float force, ForceMode2D mode = ForceMode2D.Force) { throw null; }
        public void AddTorque(float torque, ForceMode2D mode) { throw null; }
        public void AddTorque(float torque) { throw null; }
        public int Cast(Vector2 direction, List<RaycastHit2D> results, float distance = Mathf.Infinity) { throw null; }
        public int Cast(Vector2 direction, RaycastHit2D[] results) { throw null; }
        public int Cast(Vector2 direction, RaycastHit2D[] results, float distance) { throw null; }
        public int Cast(Vector2 position, float angle, Vector2 direction, List<RaycastHit2D> results, float distance = Mathf.Infinity) { throw null; }
        public Vector2 ClosestPoint(Vector2 position) { throw null; }
        public int GetAttachedColliders(Collider2D[] results) { throw null; }
        public int GetAttachedColliders(Collider2D[] results, bool findTriggers = true) { throw null; }
        public int GetAttachedColliders(List<Collider2D> results) { throw null; }
        public int GetAttachedColliders(List<Collider2D> results, bool findTriggers = true) { throw null; }
        public int GetContacts(Collider2D[] colliders) { throw null; }
        public int GetContacts(ContactPoint2D[] contacts) { throw null; }
        public int GetContacts(List<Collider2D> colliders) { throw null; }
        public int GetContacts(List<ContactPoint2D> contacts) { throw null; }
        public Vector2 GetPoint(Vector2 point) { throw null; }
        public Vector2 GetPointVelocity(Vector2 point) { throw null; }
        public Vector2 GetRelativePoint(Vector2 relativePoint) { throw null; }
        public Vector2 GetRelativePointVelocity(Vector2 relativePoint) { throw null; }
        public Vector2 GetRelativeVector(Vector2 relativeVector) { throw null; }
        public Vector2 GetVector(Vector2 vector) { throw null; }
        public bool IsAwake() { throw null; }
        public bool IsSleeping() { throw null; }
        public bool IsTouching(Collider2D collider) { throw null; }
        public bool IsTouchingLayers() { throw null; }
        public bool IsTouchingLayers(int layerMask = Physics2D.AllLayers) { throw null; }
        public void MovePosition(Vector2 position) { throw null; }
        public void MovePositionAndRotation(Vector2 position, float angle) { throw null; }
        public void MovePositionAndRotation(Vector2 position, Quaternion rotation) { throw null; }
        public void MoveRotation(Quaternion rotation) { throw null; }
        public void MoveRotation(float angle) { throw null; }
        public int Overlap(List<Collider2D> results) { throw null; }
        public int Overlap(Vector2 position, float angle, List<Collider2D> results) { throw null; }
        public bool OverlapPoint(Vector2 point) { throw null; }
        public void SetRotation(Quaternion rotation) { throw null; }
        public void SetRotation(float angle) { throw null; }
        public void Sleep() { throw null; }
        public void WakeUp() { throw null; }
        public float angularDamping { get; set; }
        [Obsolete] public float angularDrag { get; set; }
        public float angularVelocity { get; set; }
        public int attachedColliderCount { get { throw null; } }
        public RigidbodyType2D bodyType { get; set; }
        public Vector2 centerOfMass { get; set; }
        public CollisionDetectionMode2D collisionDetectionMode { get; set; }
        public RigidbodyConstraints2D constraints { get; set; }
        [Obsolete] public float drag { get; set; }
        public LayerMask excludeLayers { get; set; }
        public bool freezeRotation { get; set; }
        public float gravityScale { get; set; }
        public LayerMask includeLayers { get; set; }
        public float inertia { get; set; }
        public RigidbodyInterpolation2D interpolation { get; set; }
        [Obsolete] public bool isKinematic { get; set; }
        public float linearDamping { get; set; }
        public Vector2 linearVelocity { get; set; }
        public float linearVelocityX { get; set; }
        public float linearVelocityY { get; set; }
        public float mass { get; set; }
        public Vector2 position { get; set; }
        public float rotation { get; set; }
        public PhysicsMaterial2D sharedMaterial { get; set; }
        public bool simulated { get; set; }
        public Vector2 totalForce { get; set; }
        public float totalTorque { get; set; }
        public bool useAutoMass { get; set; }
        public bool useFullKinematicContacts { get; set; }
        [Obsolete] public Vector2 velocity { get; set; }
        [Obsolete] public float velocityX { get; set; }
        [Obsolete] public float velocityY { get; set; }
        public Vector2 worldCenterOfMass { get { throw null; } }
    }

    public class Collider2D : Behaviour
    {
        public int Cast(Vector2 direction, List<RaycastHit2D> results, float distance = Mathf.Infinity, bool ignoreSiblingColliders = true) { throw null; }
        public int Cast(Vector2 direction, RaycastHit2D[] results) { throw null; }
        public int Cast(Vector2 direction, RaycastHit2D[] results, float distance) { throw null; }
        public int Cast(Vector2 direction, RaycastHit2D[] results, float distance, bool ignoreSiblingColliders) { throw null; }
        public int Cast(Vector2 position, float angle, Vector2 direction, List<RaycastHit2D> results, float distance = Mathf.Infinity, bool ignoreSiblingColliders = true) { throw null; }
        public Vector2 ClosestPoint(Vector2 position) { throw null; }
        public int GetContacts(Collider2D[] colliders) { throw null; }
        public int GetContacts(ContactPoint2D[] contacts) { throw null; }
        public int GetContacts(List<Collider2D> colliders) { throw null; }
        public int GetContacts(List<ContactPoint2D> contacts) { throw null; }
        public Bounds GetShapeBounds(List<Bounds> bounds, bool useRadii, bool useWorldSpace) { throw null; }
        public bool IsTouching(Collider2D collider) { throw null; }
        public bool IsTouchingLayers() { throw null; }
        public bool IsTouchingLayers(int layerMask) { throw null; }
        public int Overlap(List<Collider2D> results) { throw null; }
        public int Overlap(Vector2 position, float angle, List<Collider2D> results) { throw null; }
        public bool OverlapPoint(Vector2 point) { throw null; }
        public int Raycast(Vector2 direction, RaycastHit2D[] results) { throw null; }
        public int Raycast(Vector2 direction, RaycastHit2D[] results, float distance) { throw null; }
        public int Raycast(Vector2 direction, RaycastHit2D[] results, float distance, int layerMask) { throw null; }
        public int Raycast(Vector2 direction, RaycastHit2D[] results, float distance, int layerMask, float minDepth) { throw null; }
        public int Raycast(Vector2 direction, RaycastHit2D[] results, float distance, int layerMask, float minDepth, float maxDepth) { throw null; }
        public Rigidbody2D attachedRigidbody { get { throw null; } }
        public float bounciness { get { throw null; } }
        public Bounds bounds { get { throw null; } }
        public LayerMask callbackLayers { get; set; }
        public bool compositeCapable { get { throw null; } }
        public int compositeOrder { get; set; }
        public LayerMask contactCaptureLayers { get; set; }
        public float density { get; set; }
        public LayerMask excludeLayers { get; set; }
        public LayerMask forceReceiveLayers { get; set; }
        public LayerMask forceSendLayers { get; set; }
        public float friction { get { throw null; } }
        public LayerMask includeLayers { get; set; }
        public bool isTrigger { get; set; }
        public int layerOverridePriority { get; set; }
        public Vector2 offset { get; set; }
        public int shapeCount { get { throw null; } }
        public PhysicsMaterial2D sharedMaterial { get; set; }
        [Obsolete] public bool usedByComposite { get; set; }
        public bool usedByEffector { get; set; }
    }

    public sealed class BoxCollider2D : Collider2D
    {
        public bool autoTiling { get; set; }
        public float edgeRadius { get; set; }
        public Vector2 size { get; set; }
    }

    public sealed class CircleCollider2D : Collider2D
    {
        public float radius { get; set; }
    }

    public sealed class CapsuleCollider2D : Collider2D
    {
        public CapsuleDirection2D direction { get; set; }
        public Vector2 size { get; set; }
    }

    public enum CapsuleDirection2D
    {
        Horizontal = 1,
        Vertical = 0,
    }

    public struct RaycastHit2D
    {
        public int CompareTo(RaycastHit2D other) { throw null; }
        public static implicit operator bool(RaycastHit2D hit) { throw null; }
        public Vector2 centroid { get; set; }
        public Collider2D collider { get { throw null; } }
        public float distance { get; set; }
        public float fraction { get; set; }
        public Vector2 normal { get; set; }
        public Vector2 point { get; set; }
        public Rigidbody2D rigidbody { get { throw null; } }
        public Transform transform { get { throw null; } }
    }

    public struct ContactPoint2D
    {
        public float bounciness { get { throw null; } }
        public Collider2D collider { get { throw null; } }
        public bool enabled { get { throw null; } }
        public float friction { get { throw null; } }
        public Vector2 normal { get { throw null; } }
        public float normalImpulse { get { throw null; } }
        public Collider2D otherCollider { get { throw null; } }
        public Rigidbody2D otherRigidbody { get { throw null; } }
        public Vector2 point { get { throw null; } }
        public Vector2 relativeVelocity { get { throw null; } }
        public Rigidbody2D rigidbody { get { throw null; } }
        public float separation { get { throw null; } }
        public float tangentImpulse { get { throw null; } }
    }

    public class Collision2D
    {
        public ContactPoint2D GetContact(int index) { throw null; }
        public int GetContacts(ContactPoint2D[] contacts) { throw null; }
        public int GetContacts(List<ContactPoint2D> contacts) { throw null; }
        public Collider2D collider { get { throw null; } }
        public int contactCount { get { throw null; } }
        public ContactPoint2D[] contacts { get { throw null; } }
        public bool enabled { get { throw null; } }
        public GameObject gameObject { get { throw null; } }
        public Collider2D otherCollider { get { throw null; } }
        public Rigidbody2D otherRigidbody { get { throw null; } }
        public Vector2 relativeVelocity { get { throw null; } }
        public Rigidbody2D rigidbody { get { throw null; } }
        public Transform transform { get { throw null; } }
    }

    public class Physics2D
    {
        public const int AllLayers = ~0;
        public const int DefaultRaycastLayers = ~Physics2D.IgnoreRaycastLayer;
        public const int IgnoreRaycastLayer = 1<<2;
        public const int MaxPolygonShapeVertices = 8;
        public static RaycastHit2D BoxCast(Vector2 origin, Vector2 size, float angle, Vector2 direction) { throw null; }
        public static RaycastHit2D BoxCast(Vector2 origin, Vector2 size, float angle, Vector2 direction, float distance) { throw null; }
        public static RaycastHit2D BoxCast(Vector2 origin, Vector2 size, float angle, Vector2 direction, float distance, int layerMask) { throw null; }
        public static RaycastHit2D BoxCast(Vector2 origin, Vector2 size, float angle, Vector2 direction, float distance, int layerMask, float minDepth) { throw null; }
        public static RaycastHit2D BoxCast(Vector2 origin, Vector2 size, float angle, Vector2 direction, float distance, int layerMask, float minDepth, float maxDepth) { throw null; }
        public static RaycastHit2D[] BoxCastAll(Vector2 origin, Vector2 size, float angle, Vector2 direction) { throw null; }
        public static RaycastHit2D[] BoxCastAll(Vector2 origin, Vector2 size, float angle, Vector2 direction, float distance) { throw null; }
        public static RaycastHit2D[] BoxCastAll(Vector2 origin, Vector2 size, float angle, Vector2 direction, float distance, int layerMask) { throw null; }
        public static RaycastHit2D[] BoxCastAll(Vector2 origin, Vector2 size, float angle, Vector2 direction, float distance, int layerMask, float minDepth) { throw null; }
        public static RaycastHit2D[] BoxCastAll(Vector2 origin, Vector2 size, float angle, Vector2 direction, float distance, int layerMask, float minDepth, float maxDepth) { throw null; }
        [Obsolete] public static int BoxCastNonAlloc(Vector2 origin, Vector2 size, float angle, Vector2 direction, RaycastHit2D[] results) { throw null; }
        [Obsolete] public static int BoxCastNonAlloc(Vector2 origin, Vector2 size, float angle, Vector2 direction, RaycastHit2D[] results, float distance) { throw null; }
        [Obsolete] public static int BoxCastNonAlloc(Vector2 origin, Vector2 size, float angle, Vector2 direction, RaycastHit2D[] results, float distance, int layerMask) { throw null; }
        [Obsolete] public static int BoxCastNonAlloc(Vector2 origin, Vector2 size, float angle, Vector2 direction, RaycastHit2D[] results, float distance, int layerMask, float minDepth) { throw null; }
        [Obsolete] public static int BoxCastNonAlloc(Vector2 origin, Vector2 size, float angle, Vector2 direction, RaycastHit2D[] results, float distance, int layerMask, float minDepth, float maxDepth) { throw null; }
        public static RaycastHit2D CapsuleCast(Vector2 origin, Vector2 size, CapsuleDirection2D capsuleDirection, float angle, Vector2 direction) { throw null; }
        public static RaycastHit2D CapsuleCast(Vector2 origin, Vector2 size, CapsuleDirection2D capsuleDirection, float angle, Vector2 direction, float distance) { throw null; }
        public static RaycastHit2D CapsuleCast(Vector2 origin, Vector2 size, CapsuleDirection2D capsuleDirection, float angle, Vector2 direction, float distance, int layerMask) { throw null; }
        public static RaycastHit2D CapsuleCast(Vector2 origin, Vector2 size, CapsuleDirection2D capsuleDirection, float angle, Vector2 direction, float distance, int layerMask, float minDepth) { throw null; }
        public static RaycastHit2D CapsuleCast(Vector2 origin, Vector2 size, CapsuleDirection2D capsuleDirection, float angle, Vector2 direction, float distance, int layerMask, float minDepth, float maxDepth) { throw null; }
        public static RaycastHit2D[] CapsuleCastAll(Vector2 origin, Vector2 size, CapsuleDirection2D capsuleDirection, float angle, Vector2 direction) { throw null; }
        public static RaycastHit2D[] CapsuleCastAll(Vector2 origin, Vector2 size, CapsuleDirection2D capsuleDirection, float angle, Vector2 direction, float distance) { throw null; }
        public static RaycastHit2D[] CapsuleCastAll(Vector2 origin, Vector2 size, CapsuleDirection2D capsuleDirection, float angle, Vector2 direction, float distance, int layerMask) { throw null; }
        public static RaycastHit2D[] CapsuleCastAll(Vector2 origin, Vector2 size, CapsuleDirection2D capsuleDirection, float angle, Vector2 direction, float distance, int layerMask, float minDepth) { throw null; }
        public static RaycastHit2D[] CapsuleCastAll(Vector2 origin, Vector2 size, CapsuleDirection2D capsuleDirection, float angle, Vector2 direction, float distance, int layerMask, float minDepth, float maxDepth) { throw null; }
        [Obsolete] public static int CapsuleCastNonAlloc(Vector2 origin, Vector2 size, CapsuleDirection2D capsuleDirection, float angle, Vector2 direction, RaycastHit2D[] results) { throw null; }
        [Obsolete] public static int CapsuleCastNonAlloc(Vector2 origin, Vector2 size, CapsuleDirection2D capsuleDirection, float angle, Vector2 direction, RaycastHit2D[] results, float distance) { throw null; }
        [Obsolete] public static int CapsuleCastNonAlloc(Vector2 origin, Vector2 size, CapsuleDirection2D capsuleDirection, float angle, Vector2 direction, RaycastHit2D[] results, float distance, int layerMask) { throw null; }
        [Obsolete] public static int CapsuleCastNonAlloc(Vector2 origin, Vector2 size, CapsuleDirection2D capsuleDirection, float angle, Vector2 direction, RaycastHit2D[] results, float distance, int layerMask, float minDepth) { throw null; }
        [Obsolete] public static int CapsuleCastNonAlloc(Vector2 origin, Vector2 size, CapsuleDirection2D capsuleDirection, float angle, Vector2 direction, RaycastHit2D[] results, float distance, int layerMask, float minDepth, float maxDepth) { throw null; }
        public static RaycastHit2D CircleCast(Vector2 origin, float radius, Vector2 direction) { throw null; }
        public static RaycastHit2D CircleCast(Vector2 origin, float radius, Vector2 direction, float distance) { throw null; }
        public static RaycastHit2D CircleCast(Vector2 origin, float radius, Vector2 direction, float distance, int layerMask) { throw null; }
        public static RaycastHit2D CircleCast(Vector2 origin, float radius, Vector2 direction, float distance, int layerMask, float minDepth) { throw null; }
        public static RaycastHit2D CircleCast(Vector2 origin, float radius, Vector2 direction, float distance, int layerMask, float minDepth, float maxDepth) { throw null; }
        public static RaycastHit2D[] CircleCastAll(Vector2 origin, float radius, Vector2 direction) { throw null; }
        public static RaycastHit2D[] CircleCastAll(Vector2 origin, float radius, Vector2 direction, float distance) { throw null; }
        public static RaycastHit2D[] CircleCastAll(Vector2 origin, float radius, Vector2 direction, float distance, int layerMask) { throw null; }
        public static RaycastHit2D[] CircleCastAll(Vector2 origin, float radius, Vector2 direction, float distance, int layerMask, float minDepth) { throw null; }
        public static RaycastHit2D[] CircleCastAll(Vector2 origin, float radius, Vector2 direction, float distance, int layerMask, float minDepth, float maxDepth) { throw null; }
        [Obsolete] public static int CircleCastNonAlloc(Vector2 origin, float radius, Vector2 direction, RaycastHit2D[] results) { throw null; }
        [Obsolete] public static int CircleCastNonAlloc(Vector2 origin, float radius, Vector2 direction, RaycastHit2D[] results, float distance) { throw null; }
        [Obsolete] public static int CircleCastNonAlloc(Vector2 origin, float radius, Vector2 direction, RaycastHit2D[] results, float distance, int layerMask) { throw null; }
        [Obsolete] public static int CircleCastNonAlloc(Vector2 origin, float radius, Vector2 direction, RaycastHit2D[] results, float distance, int layerMask, float minDepth) { throw null; }
        [Obsolete] public static int CircleCastNonAlloc(Vector2 origin, float radius, Vector2 direction, RaycastHit2D[] results, float distance, int layerMask, float minDepth, float maxDepth) { throw null; }
        public static Vector2 ClosestPoint(Vector2 position, Collider2D collider) { throw null; }
        public static Vector2 ClosestPoint(Vector2 position, Rigidbody2D rigidbody) { throw null; }
        public static int GetContacts(Collider2D collider, Collider2D[] colliders) { throw null; }
        public static int GetContacts(Collider2D collider, ContactPoint2D[] contacts) { throw null; }
        public static int GetContacts(Collider2D collider, List<Collider2D> colliders) { throw null; }
        public static int GetContacts(Collider2D collider, List<ContactPoint2D> contacts) { throw null; }
        public static int GetContacts(Rigidbody2D rigidbody, Collider2D[] colliders) { throw null; }
        public static int GetContacts(Rigidbody2D rigidbody, ContactPoint2D[] contacts) { throw null; }
        public static int GetContacts(Rigidbody2D rigidbody, List<Collider2D> colliders) { throw null; }
        public static int GetContacts(Rigidbody2D rigidbody, List<ContactPoint2D> contacts) { throw null; }
        public static bool GetIgnoreCollision(Collider2D collider1, Collider2D collider2) { throw null; }
        public static bool GetIgnoreLayerCollision(int layer1, int layer2) { throw null; }
        public static int GetLayerCollisionMask(int layer) { throw null; }
        public static RaycastHit2D GetRayIntersection(Ray ray) { throw null; }
        public static RaycastHit2D GetRayIntersection(Ray ray, float distance) { throw null; }
        public static RaycastHit2D GetRayIntersection(Ray ray, float distance, int layerMask) { throw null; }
        public static int GetRayIntersection(Ray ray, float distance, List<RaycastHit2D> results, int layerMask = Physics2D.DefaultRaycastLayers) { throw null; }
        public static RaycastHit2D[] GetRayIntersectionAll(Ray ray) { throw null; }
        public static RaycastHit2D[] GetRayIntersectionAll(Ray ray, float distance) { throw null; }
        public static RaycastHit2D[] GetRayIntersectionAll(Ray ray, float distance, int layerMask) { throw null; }
        [Obsolete] public static int GetRayIntersectionNonAlloc(Ray ray, RaycastHit2D[] results) { throw null; }
        [Obsolete] public static int GetRayIntersectionNonAlloc(Ray ray, RaycastHit2D[] results, float distance) { throw null; }
        public static int GetRayIntersectionNonAlloc(Ray ray, RaycastHit2D[] results, float distance, int layerMask) { throw null; }
        public static void IgnoreCollision(Collider2D collider1, Collider2D collider2, bool ignore) { throw null; }
        public static void IgnoreCollision(Collider2D collider1, Collider2D collider2) { throw null; }
        public static void IgnoreLayerCollision(int layer1, int layer2) { throw null; }
        public static void IgnoreLayerCollision(int layer1, int layer2, bool ignore) { throw null; }
        public static bool IsTouching(Collider2D collider1, Collider2D collider2) { throw null; }
        public static bool IsTouchingLayers(Collider2D collider) { throw null; }
        public static bool IsTouchingLayers(Collider2D collider, int layerMask) { throw null; }
        public static RaycastHit2D Linecast(Vector2 start, Vector2 end) { throw null; }
        public static RaycastHit2D Linecast(Vector2 start, Vector2 end, int layerMask) { throw null; }
        public static RaycastHit2D Linecast(Vector2 start, Vector2 end, int layerMask, float minDepth) { throw null; }
        public static RaycastHit2D Linecast(Vector2 start, Vector2 end, int layerMask, float minDepth, float maxDepth) { throw null; }
        public static RaycastHit2D[] LinecastAll(Vector2 start, Vector2 end) { throw null; }
        public static RaycastHit2D[] LinecastAll(Vector2 start, Vector2 end, int layerMask) { throw null; }
        public static RaycastHit2D[] LinecastAll(Vector2 start, Vector2 end, int layerMask, float minDepth) { throw null; }
        public static RaycastHit2D[] LinecastAll(Vector2 start, Vector2 end, int layerMask, float minDepth, float maxDepth) { throw null; }
        [Obsolete] public static int LinecastNonAlloc(Vector2 start, Vector2 end, RaycastHit2D[] results) { throw null; }
        [Obsolete] public static int LinecastNonAlloc(Vector2 start, Vector2 end, RaycastHit2D[] results, int layerMask) { throw null; }
        [Obsolete] public static int LinecastNonAlloc(Vector2 start, Vector2 end, RaycastHit2D[] results, int layerMask, float minDepth) { throw null; }
        [Obsolete] public static int LinecastNonAlloc(Vector2 start, Vector2 end, RaycastHit2D[] results, int layerMask, float minDepth, float maxDepth) { throw null; }
        public static Collider2D OverlapArea(Vector2 pointA, Vector2 pointB) { throw null; }
        public static Collider2D OverlapArea(Vector2 pointA, Vector2 pointB, int layerMask) { throw null; }
        public static Collider2D OverlapArea(Vector2 pointA, Vector2 pointB, int layerMask, float minDepth) { throw null; }
        public static Collider2D OverlapArea(Vector2 pointA, Vector2 pointB, int layerMask, float minDepth, float maxDepth) { throw null; }
        public static Collider2D[] OverlapAreaAll(Vector2 pointA, Vector2 pointB) { throw null; }
        public static Collider2D[] OverlapAreaAll(Vector2 pointA, Vector2 pointB, int layerMask) { throw null; }
        public static Collider2D[] OverlapAreaAll(Vector2 pointA, Vector2 pointB, int layerMask, float minDepth) { throw null; }
        public static Collider2D[] OverlapAreaAll(Vector2 pointA, Vector2 pointB, int layerMask, float minDepth, float maxDepth) { throw null; }
        [Obsolete] public static int OverlapAreaNonAlloc(Vector2 pointA, Vector2 pointB, Collider2D[] results) { throw null; }
        [Obsolete] public static int OverlapAreaNonAlloc(Vector2 pointA, Vector2 pointB, Collider2D[] results, int layerMask) { throw null; }
        [Obsolete] public static int OverlapAreaNonAlloc(Vector2 pointA, Vector2 pointB, Collider2D[] results, int layerMask, float minDepth) { throw null; }
        [Obsolete] public static int OverlapAreaNonAlloc(Vector2 pointA, Vector2 pointB, Collider2D[] results, int layerMask, float minDepth, float maxDepth) { throw null; }
        public static Collider2D OverlapBox(Vector2 point, Vector2 size, float angle) { throw null; }
        public static Collider2D OverlapBox(Vector2 point, Vector2 size, float angle, int layerMask) { throw null; }
        public static Collider2D OverlapBox(Vector2 point, Vector2 size, float angle, int layerMask, float minDepth) { throw null; }
        public static Collider2D OverlapBox(Vector2 point, Vector2 size, float angle, int layerMask, float minDepth, float maxDepth) { throw null; }
        public static Collider2D[] OverlapBoxAll(Vector2 point, Vector2 size, float angle) { throw null; }
        public static Collider2D[] OverlapBoxAll(Vector2 point, Vector2 size, float angle, int layerMask) { throw null; }
        public static Collider2D[] OverlapBoxAll(Vector2 point, Vector2 size, float angle, int layerMask, float minDepth) { throw null; }
        public static Collider2D[] OverlapBoxAll(Vector2 point, Vector2 size, float angle, int layerMask, float minDepth, float maxDepth) { throw null; }
        [Obsolete] public static int OverlapBoxNonAlloc(Vector2 point, Vector2 size, float angle, Collider2D[] results) { throw null; }
        [Obsolete] public static int OverlapBoxNonAlloc(Vector2 point, Vector2 size, float angle, Collider2D[] results, int layerMask) { throw null; }
        [Obsolete] public static int OverlapBoxNonAlloc(Vector2 point, Vector2 size, float angle, Collider2D[] results, int layerMask, float minDepth) { throw null; }
        [Obsolete] public static int OverlapBoxNonAlloc(Vector2 point, Vector2 size, float angle, Collider2D[] results, int layerMask, float minDepth, float maxDepth) { throw null; }
        public static Collider2D OverlapCapsule(Vector2 point, Vector2 size, CapsuleDirection2D direction, float angle) { throw null; }
        public static Collider2D OverlapCapsule(Vector2 point, Vector2 size, CapsuleDirection2D direction, float angle, int layerMask) { throw null; }
        public static Collider2D OverlapCapsule(Vector2 point, Vector2 size, CapsuleDirection2D direction, float angle, int layerMask, float minDepth) { throw null; }
        public static Collider2D OverlapCapsule(Vector2 point, Vector2 size, CapsuleDirection2D direction, float angle, int layerMask, float minDepth, float maxDepth) { throw null; }
        public static Collider2D[] OverlapCapsuleAll(Vector2 point, Vector2 size, CapsuleDirection2D direction, float angle) { throw null; }
        public static Collider2D[] OverlapCapsuleAll(Vector2 point, Vector2 size, CapsuleDirection2D direction, float angle, int layerMask) { throw null; }
        public static Collider2D[] OverlapCapsuleAll(Vector2 point, Vector2 size, CapsuleDirection2D direction, float angle, int layerMask, float minDepth) { throw null; }
        public static Collider2D[] OverlapCapsuleAll(Vector2 point, Vector2 size, CapsuleDirection2D direction, float angle, int layerMask, float minDepth, float maxDepth) { throw null; }
        [Obsolete] public static int OverlapCapsuleNonAlloc(Vector2 point, Vector2 size, CapsuleDirection2D direction, float angle, Collider2D[] results) { throw null; }
        [Obsolete] public static int OverlapCapsuleNonAlloc(Vector2 point, Vector2 size, CapsuleDirection2D direction, float angle, Collider2D[] results, int layerMask) { throw null; }
        [Obsolete] public static int OverlapCapsuleNonAlloc(Vector2 point, Vector2 size, CapsuleDirection2D direction, float angle, Collider2D[] results, int layerMask, float minDepth) { throw null; }
        [Obsolete] public static int OverlapCapsuleNonAlloc(Vector2 point, Vector2 size, CapsuleDirection2D direction, float angle, Collider2D[] results, int layerMask, float minDepth, float maxDepth) { throw null; }
        public static Collider2D OverlapCircle(Vector2 point, float radius) { throw null; }
        public static Collider2D OverlapCircle(Vector2 point, float radius, int layerMask) { throw null; }
        public static Collider2D OverlapCircle(Vector2 point, float radius, int layerMask, float minDepth) { throw null; }
        public static Collider2D OverlapCircle(Vector2 point, float radius, int layerMask, float minDepth, float maxDepth) { throw null; }
        public static Collider2D[] OverlapCircleAll(Vector2 point, float radius) { throw null; }
        public static Collider2D[] OverlapCircleAll(Vector2 point, float radius, int layerMask) { throw null; }
        public static Collider2D[] OverlapCircleAll(Vector2 point, float radius, int layerMask, float minDepth) { throw null; }
        public static Collider2D[] OverlapCircleAll(Vector2 point, float radius, int layerMask, float minDepth, float maxDepth) { throw null; }
        [Obsolete] public static int OverlapCircleNonAlloc(Vector2 point, float radius, Collider2D[] results) { throw null; }
        [Obsolete] public static int OverlapCircleNonAlloc(Vector2 point, float radius, Collider2D[] results, int layerMask) { throw null; }
        [Obsolete] public static int OverlapCircleNonAlloc(Vector2 point, float radius, Collider2D[] results, int layerMask, float minDepth) { throw null; }
        [Obsolete] public static int OverlapCircleNonAlloc(Vector2 point, float radius, Collider2D[] results, int layerMask, float minDepth, float maxDepth) { throw null; }
        public static int OverlapCollider(Collider2D collider, List<Collider2D> results) { throw null; }
        public static Collider2D OverlapPoint(Vector2 point) { throw null; }
        public static Collider2D OverlapPoint(Vector2 point, int layerMask) { throw null; }
        public static Collider2D OverlapPoint(Vector2 point, int layerMask, float minDepth) { throw null; }
        public static Collider2D OverlapPoint(Vector2 point, int layerMask, float minDepth, float maxDepth) { throw null; }
        public static Collider2D[] OverlapPointAll(Vector2 point) { throw null; }
        public static Collider2D[] OverlapPointAll(Vector2 point, int layerMask) { throw null; }
        public static Collider2D[] OverlapPointAll(Vector2 point, int layerMask, float minDepth) { throw null; }
        public static Collider2D[] OverlapPointAll(Vector2 point, int layerMask, float minDepth, float maxDepth) { throw null; }
        [Obsolete] public static int OverlapPointNonAlloc(Vector2 point, Collider2D[] results) { throw null; }
        [Obsolete] public static int OverlapPointNonAlloc(Vector2 point, Collider2D[] results, int layerMask) { throw null; }
        [Obsolete] public static int OverlapPointNonAlloc(Vector2 point, Collider2D[] results, int layerMask, float minDepth) { throw null; }
        [Obsolete] public static int OverlapPointNonAlloc(Vector2 point, Collider2D[] results, int layerMask, float minDepth, float maxDepth) { throw null; }
        public static RaycastHit2D Raycast(Vector2 origin, Vector2 direction) { throw null; }
        public static RaycastHit2D Raycast(Vector2 origin, Vector2 direction, float distance) { throw null; }
        public static RaycastHit2D Raycast(Vector2 origin, Vector2 direction, float distance, int layerMask) { throw null; }
        public static RaycastHit2D Raycast(Vector2 origin, Vector2 direction, float distance, int layerMask, float minDepth) { throw null; }
        public static RaycastHit2D Raycast(Vector2 origin, Vector2 direction, float distance, int layerMask, float minDepth, float maxDepth) { throw null; }
        public static RaycastHit2D[] RaycastAll(Vector2 origin, Vector2 direction) { throw null; }
        public static RaycastHit2D[] RaycastAll(Vector2 origin, Vector2 direction, float distance) { throw null; }
        public static RaycastHit2D[] RaycastAll(Vector2 origin, Vector2 direction, float distance, int layerMask) { throw null; }
        public static RaycastHit2D[] RaycastAll(Vector2 origin, Vector2 direction, float distance, int layerMask, float minDepth) { throw null; }
        public static RaycastHit2D[] RaycastAll(Vector2 origin, Vector2 direction, float distance, int layerMask, float minDepth, float maxDepth) { throw null; }
        [Obsolete] public static int RaycastNonAlloc(Vector2 origin, Vector2 direction, RaycastHit2D[] results) { throw null; }
        [Obsolete] public static int RaycastNonAlloc(Vector2 origin, Vector2 direction, RaycastHit2D[] results, float distance) { throw null; }
        [Obsolete] public static int RaycastNonAlloc(Vector2 origin, Vector2 direction, RaycastHit2D[] results, float distance, int layerMask, float minDepth) { throw null; }
        [Obsolete] public static int RaycastNonAlloc(Vector2 origin, Vector2 direction, RaycastHit2D[] results, float distance, int layerMask, float minDepth, float maxDepth) { throw null; }
        public static int RaycastNonAlloc(Vector2 origin, Vector2 direction, RaycastHit2D[] results, float distance, int layerMask) { throw null; }
        public static void SetLayerCollisionMask(int layer, int layerMask) { throw null; }
        public static bool Simulate(float deltaTime) { throw null; }
        public static bool Simulate(float deltaTime, int simulationLayers = Physics2D.AllLayers) { throw null; }
        public static void SyncTransforms() { throw null; }
        public static float angularSleepTolerance { get; set; }
        public static bool autoSyncTransforms { get; set; }
        public static float baumgarteScale { get; set; }
        public static float baumgarteTOIScale { get; set; }
        public static float bounceThreshold { get; set; }
        public static bool callbacksOnDisable { get; set; }
        public static float contactThreshold { get; set; }
        public static float defaultContactOffset { get; set; }
        public static Vector2 gravity { get; set; }
        public static float linearSleepTolerance { get; set; }
        public static float maxAngularCorrection { get; set; }
        public static float maxLinearCorrection { get; set; }
        public static float maxRotationSpeed { get; set; }
        public static int maxSubStepCount { get; set; }
        public static float maxTranslationSpeed { get; set; }
        public static float minSubStepFPS { get; set; }
        public static int positionIterations { get; set; }
        public static bool queriesHitTriggers { get; set; }
        public static bool queriesStartInColliders { get; set; }
        public static bool reuseCollisionCallbacks { get; set; }
        public static LayerMask simulationLayers { get; set; }
        public static float timeToSleep { get; set; }
        public static bool useSubStepContacts { get; set; }
        public static bool useSubStepping { get; set; }
        public static int velocityIterations { get; set; }
    }
}
