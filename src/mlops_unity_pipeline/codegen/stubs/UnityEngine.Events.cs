// Compile-only stubs of UnityEngine.Events (UnityEngine.CoreModule) as of Unity 6000.0: UnityEvent with zero to
// four arguments and its UnityAction delegates. Signatures checked against Unity's C# reference source
// (Unity-Technologies/UnityCsReference, tag 6000.0.23f1, Runtime/Export/UnityEvent/UnityEvent.cs and
// artifacts/generated/UnityEvent/UnityEvent_*.cs); our own declarations, bodies throw.
using System;
using System.Reflection;

namespace UnityEngine.Events
{
    public enum PersistentListenerMode
    {
        Bool = 6,
        EventDefined = 0,
        Float = 4,
        Int = 3,
        Object = 2,
        String = 5,
        Void = 1,
    }

    public enum UnityEventCallState
    {
        EditorAndRuntime = 1,
        Off = 0,
        RuntimeOnly = 2,
    }

    public delegate void UnityAction();

    public delegate void UnityAction<T0>(T0 arg0);

    public delegate void UnityAction<T0, T1>(T0 arg0, T1 arg1);

    public delegate void UnityAction<T0, T1, T2>(T0 arg0, T1 arg1, T2 arg2);

    public delegate void UnityAction<T0, T1, T2, T3>(T0 arg0, T1 arg1, T2 arg2, T3 arg3);

    public abstract class UnityEventBase : ISerializationCallbackReceiver
    {
        void ISerializationCallbackReceiver.OnBeforeSerialize() { throw null; }
        void ISerializationCallbackReceiver.OnAfterDeserialize() { throw null; }
        protected void AddListener(object targetObj, MethodInfo method) { throw null; }
        protected MethodInfo FindMethod_Impl(string name, object targetObj) { throw null; }
        protected abstract MethodInfo FindMethod_Impl(string name, Type targetObjType);
        public int GetPersistentEventCount() { throw null; }
        public UnityEventCallState GetPersistentListenerState(int index) { throw null; }
        public string GetPersistentMethodName(int index) { throw null; }
        public Object GetPersistentTarget(int index) { throw null; }
        public static MethodInfo GetValidMethodInfo(Type objectType, string functionName, Type[] argumentTypes) { throw null; }
        public static MethodInfo GetValidMethodInfo(object obj, string functionName, Type[] argumentTypes) { throw null; }
        protected void Invoke(object[] parameters) { throw null; }
        protected void RegisterPersistentListener(int index, object targetObj, MethodInfo method) { throw null; }
        protected void RegisterPersistentListener(int index, object targetObj, Type targetObjType, MethodInfo method) { throw null; }
        public void RemoveAllListeners() { throw null; }
        protected void RemoveListener(object targetObj, MethodInfo method) { throw null; }
        public void SetPersistentListenerState(int index, UnityEventCallState state) { throw null; }
        public override string ToString() { throw null; }
        protected bool ValidateRegistration(MethodInfo method, object targetObj, PersistentListenerMode mode) { throw null; }
        protected bool ValidateRegistration(MethodInfo method, object targetObj, PersistentListenerMode mode, Type argumentType) { throw null; }
    }

    public class UnityEvent : UnityEventBase
    {
        public void AddListener(UnityAction call) { throw null; }
        protected override MethodInfo FindMethod_Impl(string name, Type targetObjType) { throw null; }
        public void Invoke() { throw null; }
        public void RemoveListener(UnityAction call) { throw null; }
    }

    public class UnityEvent<T0> : UnityEventBase
    {
        public void AddListener(UnityAction<T0> call) { throw null; }
        protected override MethodInfo FindMethod_Impl(string name, Type targetObjType) { throw null; }
        public void Invoke(T0 arg0) { throw null; }
        public void RemoveListener(UnityAction<T0> call) { throw null; }
    }

    public class UnityEvent<T0, T1> : UnityEventBase
    {
        public void AddListener(UnityAction<T0, T1> call) { throw null; }
        protected override MethodInfo FindMethod_Impl(string name, Type targetObjType) { throw null; }
        public void Invoke(T0 arg0, T1 arg1) { throw null; }
        public void RemoveListener(UnityAction<T0, T1> call) { throw null; }
    }

    public class UnityEvent<T0, T1, T2> : UnityEventBase
    {
        public void AddListener(UnityAction<T0, T1, T2> call) { throw null; }
        protected override MethodInfo FindMethod_Impl(string name, Type targetObjType) { throw null; }
        public void Invoke(T0 arg0, T1 arg1, T2 arg2) { throw null; }
        public void RemoveListener(UnityAction<T0, T1, T2> call) { throw null; }
    }

    public class UnityEvent<T0, T1, T2, T3> : UnityEventBase
    {
        public void AddListener(UnityAction<T0, T1, T2, T3> call) { throw null; }
        protected override MethodInfo FindMethod_Impl(string name, Type targetObjType) { throw null; }
        public void Invoke(T0 arg0, T1 arg1, T2 arg2, T3 arg3) { throw null; }
        public void RemoveListener(UnityAction<T0, T1, T2, T3> call) { throw null; }
    }
}
