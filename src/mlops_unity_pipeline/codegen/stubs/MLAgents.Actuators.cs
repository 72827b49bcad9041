// Compile-only stubs of com.unity.ml-agents 3.0.0: the Unity.MLAgents.Actuators namespace.
// Public surface read from needle-mirror/com.unity.ml-agents@b1c6584 (3.0.0), Runtime/Actuators/*.cs;
// the member list is pinned by tests/codegen/data/mlagents_api_3.0.0.json (scripts/extract_mlagents_api.py).
// Our own declarations: bodies throw, except where noted for the Mono physics tests.
#pragma warning disable 0067, 0649
using System;
using System.Collections;
using System.Collections.Generic;
using UnityEngine;

namespace Unity.MLAgents.Actuators
{
    // ActionBuffers and ActionSegment<T> work (our own code): the Mono physics tests pass actions to generated
    // agents through them.
    public readonly struct ActionBuffers
    {
        readonly ActionSegment<float> m_Continuous;
        readonly ActionSegment<int> m_Discrete;
        public ActionBuffers(ActionSegment<float> continuousActions, ActionSegment<int> discreteActions)
        {
            m_Continuous = continuousActions;
            m_Discrete = discreteActions;
        }
        public ActionBuffers(ActionSpec actionSpec) { throw null; }
        public ActionBuffers(float[] continuousActions, int[] discreteActions)
            : this(new ActionSegment<float>(continuousActions), new ActionSegment<int>(discreteActions)) { }
        public static ActionBuffers Empty = new ActionBuffers(new float[0], new int[0]);
        public void Clear() { m_Continuous.Clear(); m_Discrete.Clear(); }
        public override bool Equals(object obj) { throw null; }
        public static ActionBuffers FromDiscreteActions(float[] discreteActions) { throw null; }
        public override int GetHashCode() { throw null; }
        public bool IsEmpty() { return m_Continuous.IsEmpty() && m_Discrete.IsEmpty(); }
        public ActionSegment<float> ContinuousActions { get { return m_Continuous; } }
        public ActionSegment<int> DiscreteActions { get { return m_Discrete; } }
    }

    public readonly struct ActionSegment<T> : IEnumerable<T>, IEquatable<ActionSegment<T>> where T : struct
    {
        public ActionSegment(T[] actionArray) : this(actionArray ?? new T[0], 0, actionArray == null ? 0 : actionArray.Length) { }
        public ActionSegment(T[] actionArray, int offset, int length)
        {
            m_Array = actionArray;
            Offset = offset;
            Length = length;
        }
        readonly T[] m_Array;
        public static ActionSegment<T> Empty = new ActionSegment<T>(new T[0], 0, 0);
        public readonly int Length;
        public readonly int Offset;
        public T this[int index] { get { return m_Array[Offset + index]; } set { m_Array[Offset + index] = value; } }
        public void Clear() { System.Array.Clear(m_Array, Offset, Length); }
        public bool Equals(ActionSegment<T> other) { throw null; }
        public override bool Equals(object obj) { throw null; }
        // The generic enumerator is an explicit implementation upstream: ``foreach (var a in segment)`` yields object.
        IEnumerator<T> IEnumerable<T>.GetEnumerator() { throw null; }
        public IEnumerator GetEnumerator() { throw null; }
        public override int GetHashCode() { throw null; }
        public bool IsEmpty() { return Length == 0; }
        public T[] Array { get { return m_Array; } }
    }

    public struct ActionSpec
    {
        public ActionSpec(int numContinuousActions = 0, int[] discreteBranchSizes = null) { throw null; }
        public int[] BranchSizes;
        public static ActionSpec Combine(params ActionSpec[] specs) { throw null; }
        public static ActionSpec MakeContinuous(int numActions) { throw null; }
        public static ActionSpec MakeDiscrete(params int[] branchSizes) { throw null; }
        public int NumContinuousActions { get { throw null; } set { throw null; } }
        public int NumDiscreteActions { get { throw null; } }
        public int SumOfDiscreteBranchSizes { get { throw null; } }
    }

    public abstract class ActuatorComponent : MonoBehaviour
    {
        public abstract IActuator[] CreateActuators();
        public abstract ActionSpec ActionSpec { get; }
    }

    public enum BuiltInActuatorType
    {
        Unknown = 0,
        AgentVectorActuator = 1,
        VectorActuator = 2,
        Match3Actuator = 3,
        InputActionActuator = 4,
    }

    public interface IActionReceiver
    {
        void OnActionReceived(ActionBuffers actionBuffers);
        void WriteDiscreteActionMask(IDiscreteActionMask actionMask);
    }

    public interface IActuator : IActionReceiver, IHeuristicProvider
    {
        void ResetData();
        ActionSpec ActionSpec { get; }
        string Name { get; }
    }

    public static class IActuatorExtensions
    {
        public static int TotalNumberOfActions(this IActuator actuator) { throw null; }
    }

    public interface IDiscreteActionMask
    {
        void SetActionEnabled(int branch, int actionIndex, bool isEnabled);
    }

    public interface IHeuristicProvider
    {
        void Heuristic(in ActionBuffers actionBuffersOut);
    }
}
