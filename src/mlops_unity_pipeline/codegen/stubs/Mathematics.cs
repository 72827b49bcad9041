// Compile-only stub of the com.unity.mathematics type the ML-Agents 3.0.0 API returns
// (TrainingAreaReplicator.GridSize is an int3; Runtime/Areas/TrainingAreaReplicator.cs). Only its
// components and constructor are modelled.
namespace Unity.Mathematics
{
    public struct int3
    {
        public int x;
        public int y;
        public int z;
        public int3(int x, int y, int z) { this.x = x; this.y = y; this.z = z; }
    }
}
