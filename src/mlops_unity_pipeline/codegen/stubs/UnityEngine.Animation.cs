// Compile-only stubs of UnityEngine's animation types as of Unity 6000.0: AnimationCurve and Keyframe
// (UnityEngine.CoreModule) and the Animator component (UnityEngine.AnimationModule). Signatures checked against
// Unity's C# reference source (Unity-Technologies/UnityCsReference, tag 6000.0.23f1,
// Runtime/Export/Animation/AnimationCurve.bindings.cs, Modules/Animation/ScriptBindings/Animator.bindings.cs);
// our own declarations, bodies throw. Animator members over types we do not model are left out.
#pragma warning disable 0618
using System;
using System.Collections.Generic;

namespace UnityEngine
{
    public enum WrapMode
    {
        Clamp = 1,
        ClampForever = 8,
        Default = 0,
        Loop = 2,
        Once = 1,
        PingPong = 4,
    }

    public enum WeightedMode
    {
        Both = In | Out,
        In = 1<<0,
        None = 0,
        Out = 1<<1,
    }

    public struct Keyframe
    {
        public Keyframe(float time, float value) { throw null; }
        public Keyframe(float time, float value, float inTangent, float outTangent) { throw null; }
        public Keyframe(float time, float value, float inTangent, float outTangent, float inWeight, float outWeight) { throw null; }
        public float inTangent { get; set; }
        public float inWeight { get; set; }
        public float outTangent { get; set; }
        public float outWeight { get; set; }
        [Obsolete] public int tangentMode { get; set; }
        public float time { get; set; }
        public float value { get; set; }
        public WeightedMode weightedMode { get; set; }
    }

    public class AnimationCurve : IEquatable<AnimationCurve>
    {
        public AnimationCurve() { throw null; }
        public AnimationCurve(params Keyframe[] keys) { throw null; }
        public Keyframe this[int index] { get { throw null; } }
        public int AddKey(float time, float value) { throw null; }
        public int AddKey(Keyframe key) { throw null; }
        public void ClearKeys() { throw null; }
        public static AnimationCurve Constant(float timeStart, float timeEnd, float value) { throw null; }
        public void CopyFrom(AnimationCurve other) { throw null; }
        public static AnimationCurve EaseInOut(float timeStart, float valueStart, float timeEnd, float valueEnd) { throw null; }
        public bool Equals(AnimationCurve other) { throw null; }
        public override bool Equals(object o) { throw null; }
        public float Evaluate(float time) { throw null; }
        public override int GetHashCode() { throw null; }
        public static AnimationCurve Linear(float timeStart, float valueStart, float timeEnd, float valueEnd) { throw null; }
        public int MoveKey(int index, Keyframe key) { throw null; }
        public void RemoveKey(int index) { throw null; }
        public void SmoothTangents(int index, float weight) { throw null; }
        public Keyframe[] keys { get; set; }
        public int length { get { throw null; } }
        public WrapMode postWrapMode { get; set; }
        public WrapMode preWrapMode { get; set; }
    }

    public struct AnimatorStateInfo
    {
        public bool IsName(string name) { throw null; }
        public bool IsTag(string tag) { throw null; }
        public int fullPathHash { get { throw null; } }
        public float length { get { throw null; } }
        public bool loop { get { throw null; } }
        [Obsolete] public int nameHash { get { throw null; } }
        public float normalizedTime { get { throw null; } }
        public int shortNameHash { get { throw null; } }
        public float speed { get { throw null; } }
        public float speedMultiplier { get { throw null; } }
        public int tagHash { get { throw null; } }
    }

    public class Animator : Behaviour
    {
        public void ApplyBuiltinRootMotion() { throw null; }
        public void CrossFade(int stateHashName, float normalizedTransitionDuration, int layer, float normalizedTimeOffset, float normalizedTransitionTime) { throw null; }
        public void CrossFade(int stateHashName, float normalizedTransitionDuration) { throw null; }
        public void CrossFade(int stateHashName, float normalizedTransitionDuration, int layer) { throw null; }
        public void CrossFade(int stateHashName, float normalizedTransitionDuration, int layer, float normalizedTimeOffset) { throw null; }
        public void CrossFade(string stateName, float normalizedTransitionDuration) { throw null; }
        public void CrossFade(string stateName, float normalizedTransitionDuration, int layer) { throw null; }
        public void CrossFade(string stateName, float normalizedTransitionDuration, int layer, float normalizedTimeOffset) { throw null; }
        public void CrossFade(string stateName, float normalizedTransitionDuration, int layer, float normalizedTimeOffset, float normalizedTransitionTime) { throw null; }
        public void CrossFadeInFixedTime(int stateHashName, float fixedTransitionDuration, int layer, float fixedTimeOffset, float normalizedTransitionTime) { throw null; }
        public void CrossFadeInFixedTime(int stateHashName, float fixedTransitionDuration) { throw null; }
        public void CrossFadeInFixedTime(int stateHashName, float fixedTransitionDuration, int layer) { throw null; }
        public void CrossFadeInFixedTime(int stateHashName, float fixedTransitionDuration, int layer, float fixedTimeOffset) { throw null; }
        public void CrossFadeInFixedTime(string stateName, float fixedTransitionDuration) { throw null; }
        public void CrossFadeInFixedTime(string stateName, float fixedTransitionDuration, int layer) { throw null; }
        public void CrossFadeInFixedTime(string stateName, float fixedTransitionDuration, int layer, float fixedTimeOffset) { throw null; }
        public void CrossFadeInFixedTime(string stateName, float fixedTransitionDuration, int layer, float fixedTimeOffset, float normalizedTransitionTime) { throw null; }
        [Obsolete] public void ForceStateNormalizedTime(float normalizedTime) { throw null; }
        public bool GetBool(int id) { throw null; }
        public bool GetBool(string name) { throw null; }
        public int GetCurrentAnimatorClipInfoCount(int layerIndex) { throw null; }
        public AnimatorStateInfo GetCurrentAnimatorStateInfo(int layerIndex) { throw null; }
        public float GetFloat(int id) { throw null; }
        public float GetFloat(string name) { throw null; }
        public int GetInteger(int id) { throw null; }
        public int GetInteger(string name) { throw null; }
        public int GetLayerIndex(string layerName) { throw null; }
        public string GetLayerName(int layerIndex) { throw null; }
        public float GetLayerWeight(int layerIndex) { throw null; }
        public int GetNextAnimatorClipInfoCount(int layerIndex) { throw null; }
        public AnimatorStateInfo GetNextAnimatorStateInfo(int layerIndex) { throw null; }
        [Obsolete] public Quaternion GetQuaternion(int id) { throw null; }
        [Obsolete] public Quaternion GetQuaternion(string name) { throw null; }
        [Obsolete] public Vector3 GetVector(int id) { throw null; }
        [Obsolete] public Vector3 GetVector(string name) { throw null; }
        public bool HasState(int layerIndex, int stateID) { throw null; }
        public void InterruptMatchTarget(bool completeMatch) { throw null; }
        public void InterruptMatchTarget() { throw null; }
        public bool IsInTransition(int layerIndex) { throw null; }
        public bool IsParameterControlledByCurve(int id) { throw null; }
        public bool IsParameterControlledByCurve(string name) { throw null; }
        public void Play(int stateNameHash, int layer, float normalizedTime) { throw null; }
        public void Play(int stateNameHash) { throw null; }
        public void Play(int stateNameHash, int layer) { throw null; }
        public void Play(string stateName) { throw null; }
        public void Play(string stateName, int layer) { throw null; }
        public void Play(string stateName, int layer, float normalizedTime) { throw null; }
        public void PlayInFixedTime(int stateNameHash, int layer, float fixedTime) { throw null; }
        public void PlayInFixedTime(int stateNameHash) { throw null; }
        public void PlayInFixedTime(int stateNameHash, int layer) { throw null; }
        public void PlayInFixedTime(string stateName) { throw null; }
        public void PlayInFixedTime(string stateName, int layer) { throw null; }
        public void PlayInFixedTime(string stateName, int layer, float fixedTime) { throw null; }
        public void Rebind() { throw null; }
        public void ResetTrigger(int id) { throw null; }
        public void ResetTrigger(string name) { throw null; }
        public void SetBool(int id, bool value) { throw null; }
        public void SetBool(string name, bool value) { throw null; }
        public void SetFloat(int id, float value) { throw null; }
        public void SetFloat(int id, float value, float dampTime, float deltaTime) { throw null; }
        public void SetFloat(string name, float value) { throw null; }
        public void SetFloat(string name, float value, float dampTime, float deltaTime) { throw null; }
        public void SetInteger(int id, int value) { throw null; }
        public void SetInteger(string name, int value) { throw null; }
        public void SetLayerWeight(int layerIndex, float weight) { throw null; }
        public void SetLookAtPosition(Vector3 lookAtPosition) { throw null; }
        public void SetLookAtWeight(float weight) { throw null; }
        public void SetLookAtWeight(float weight, float bodyWeight) { throw null; }
        public void SetLookAtWeight(float weight, float bodyWeight, float headWeight) { throw null; }
        public void SetLookAtWeight(float weight, float bodyWeight, float headWeight, float eyesWeight) { throw null; }
        public void SetLookAtWeight(float weight, float bodyWeight, float headWeight, float eyesWeight, float clampWeight) { throw null; }
        [Obsolete] public void SetQuaternion(int id, Quaternion value) { throw null; }
        [Obsolete] public void SetQuaternion(string name, Quaternion value) { throw null; }
        public void SetTrigger(int id) { throw null; }
        public void SetTrigger(string name) { throw null; }
        [Obsolete] public void SetVector(int id, Vector3 value) { throw null; }
        [Obsolete] public void SetVector(string name, Vector3 value) { throw null; }
        public void StartPlayback() { throw null; }
        public void StartRecording(int frameCount) { throw null; }
        public void StopPlayback() { throw null; }
        public void StopRecording() { throw null; }
        public static int StringToHash(string name) { throw null; }
        public void Update(float deltaTime) { throw null; }
        public void WriteDefaultValues() { throw null; }
        public Vector3 angularVelocity { get { throw null; } }
        public bool animatePhysics { get; set; }
        public bool applyRootMotion { get; set; }
        public Transform avatarRoot { get { throw null; } }
        public Vector3 bodyPosition { get; set; }
        public Quaternion bodyRotation { get; set; }
        public AnimatorCullingMode cullingMode { get; set; }
        public Vector3 deltaPosition { get { throw null; } }
        public Quaternion deltaRotation { get { throw null; } }
        public float feetPivotActive { get; set; }
        public bool fireEvents { get; set; }
        public float gravityWeight { get { throw null; } }
        public bool hasBoundPlayables { get { throw null; } }
        public bool hasRootMotion { get { throw null; } }
        public bool hasTransformHierarchy { get { throw null; } }
        public float humanScale { get { throw null; } }
        public bool isHuman { get { throw null; } }
        public bool isInitialized { get { throw null; } }
        public bool isMatchingTarget { get { throw null; } }
        public bool isOptimizable { get { throw null; } }
        [Obsolete] public bool keepAnimatorControllerStateOnDisable { get; set; }
        public bool keepAnimatorStateOnDisable { get; set; }
        public int layerCount { get { throw null; } }
        public bool layersAffectMassCenter { get; set; }
        public float leftFeetBottomHeight { get { throw null; } }
        [Obsolete] public bool linearVelocityBlending { get; set; }
        public bool logWarnings { get; set; }
        public int parameterCount { get { throw null; } }
        public Vector3 pivotPosition { get { throw null; } }
        public float pivotWeight { get { throw null; } }
        public float playbackTime { get; set; }
        public float recorderStartTime { get; set; }
        public float recorderStopTime { get; set; }
        public float rightFeetBottomHeight { get { throw null; } }
        public Vector3 rootPosition { get; set; }
        public Quaternion rootRotation { get; set; }
        public RuntimeAnimatorController runtimeAnimatorController { get; set; }
        public float speed { get; set; }
        public bool stabilizeFeet { get; set; }
        public Vector3 targetPosition { get { throw null; } }
        public Quaternion targetRotation { get { throw null; } }
        public AnimatorUpdateMode updateMode { get; set; }
        public Vector3 velocity { get { throw null; } }
        public bool writeDefaultValuesOnDisable { get; set; }
    }

    public enum AnimatorUpdateMode
    {
        AnimatePhysics = 1,
        Fixed = 1,
        Normal = 0,
        UnscaledTime = 2,
    }

    public enum AnimatorCullingMode
    {
        AlwaysAnimate = 0,
        BasedOnRenderers = 1,
        CullCompletely = 2,
        CullUpdateTransforms = 1,
    }

    public class RuntimeAnimatorController : Object
    {
        protected RuntimeAnimatorController() { }
    }
}
