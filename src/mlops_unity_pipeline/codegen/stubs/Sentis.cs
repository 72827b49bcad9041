// Compile-only stub of the one com.unity.sentis 2.1.0 type the ML-Agents 3.0.0 API takes: the model asset
// passed to Agent.SetModel and held by BehaviorParameters.Model (ML-Agents' package.json depends on
// com.unity.sentis 2.1.0; the class is Runtime/Core/Internals/ModelAsset.cs of needle-mirror/com.unity.sentis).
// Its serialized fields are internal to Sentis and are not modelled.
using UnityEngine;

namespace Unity.Sentis
{
    public class ModelAsset : ScriptableObject { }
}
