// Compile-only stubs of com.unity.ml-agents 3.0.0: the Unity.MLAgents.Integrations.Match3 namespace.
// Public surface read from needle-mirror/com.unity.ml-agents@b1c6584 (3.0.0), Runtime/Integrations/Match3/*.cs;
// the member list is pinned by tests/codegen/data/mlagents_api_3.0.0.json (scripts/extract_mlagents_api.py).
// Our own declarations: bodies throw, except where noted for the Mono physics tests.
#pragma warning disable 0067, 0649
using System;
using System.Collections.Generic;
using UnityEngine;
using Unity.MLAgents.Actuators;
using Unity.MLAgents.Sensors;

namespace Unity.MLAgents.Integrations.Match3
{
    public abstract class AbstractBoard : MonoBehaviour
    {
        public Action OnNoValidMovesAction;
        public IEnumerable<Move> AllMoves() { throw null; }
        public abstract int GetCellType(int row, int col);
        public virtual BoardSize GetCurrentBoardSize() { throw null; }
        public abstract BoardSize GetMaxBoardSize();
        public abstract int GetSpecialType(int row, int col);
        public abstract bool IsMoveValid(Move m);
        public abstract bool MakeMove(Move m);
        public int NumMoves() { throw null; }
        public bool SimpleIsMoveValid(Move move) { throw null; }
        public IEnumerable<Move> ValidMoves() { throw null; }
    }

    public struct BoardSize
    {
        public int Columns;
        public int NumCellTypes;
        public int NumSpecialTypes;
        public int Rows;
        public override string ToString() { throw null; }
        public static bool operator <=(BoardSize lhs, BoardSize rhs) { throw null; }
        public static bool operator >=(BoardSize lhs, BoardSize rhs) { throw null; }
    }

    public enum Direction
    {
        Up = 0,
        Down = 1,
        Left = 2,
        Right = 3,
    }

    public delegate int GridValueProvider(int x, int y);

    public class Match3Actuator : IActuator
    {
        public Match3Actuator(AbstractBoard board, bool forceHeuristic, int seed, string name) { throw null; }
        protected virtual int EvalMovePoints(Move move) { throw null; }
        public BuiltInActuatorType GetBuiltInActuatorType() { throw null; }
        public void Heuristic(in ActionBuffers actionsOut) { throw null; }
        public void OnActionReceived(ActionBuffers actions) { throw null; }
        public void ResetData() { throw null; }
        public void WriteDiscreteActionMask(IDiscreteActionMask actionMask) { throw null; }
        public ActionSpec ActionSpec { get { throw null; } }
        public string Name { get { throw null; } }
    }

    public class Match3ActuatorComponent : ActuatorComponent
    {
        public override IActuator[] CreateActuators() { throw null; }
        public override ActionSpec ActionSpec { get { throw null; } }
        public string ActuatorName { get { throw null; } set { throw null; } }
        public bool ForceHeuristic { get { throw null; } set { throw null; } }
        public int RandomSeed { get { throw null; } set { throw null; } }
    }

    public enum Match3ObservationType
    {
        Vector = 0,
        UncompressedVisual = 1,
        CompressedVisual = 2,
    }

    public class Match3Sensor : ISensor, IDisposable
    {
        public Match3Sensor(AbstractBoard board, GridValueProvider gvp, int oneHotSize, Match3ObservationType obsType, string name) { throw null; }
        public static Match3Sensor CellTypeSensor(AbstractBoard board, Match3ObservationType obsType, string name) { throw null; }
        public void Dispose() { throw null; }
        public BuiltInSensorType GetBuiltInSensorType() { throw null; }
        public byte[] GetCompressedObservation() { throw null; }
        public CompressionSpec GetCompressionSpec() { throw null; }
        public string GetName() { throw null; }
        public ObservationSpec GetObservationSpec() { throw null; }
        public void Reset() { throw null; }
        public static Match3Sensor SpecialTypeSensor(AbstractBoard board, Match3ObservationType obsType, string name) { throw null; }
        public void Update() { throw null; }
        public int Write(ObservationWriter writer) { throw null; }
    }

    public class Match3SensorComponent : SensorComponent, IDisposable
    {
        public override ISensor[] CreateSensors() { throw null; }
        public void Dispose() { throw null; }
        public Match3ObservationType ObservationType { get { throw null; } set { throw null; } }
        public string SensorName { get { throw null; } set { throw null; } }
    }

    public struct Move
    {
        public int Column;
        public Direction Direction;
        public int MoveIndex;
        public int Row;
        public static Move FromMoveIndex(int moveIndex, BoardSize maxBoardSize) { throw null; }
        public static Move FromPositionAndDirection(int row, int col, Direction dir, BoardSize maxBoardSize) { throw null; }
        public bool InRangeForBoard(BoardSize boardSize) { throw null; }
        public void Next(BoardSize maxBoardSize) { throw null; }
        public static int NumPotentialMoves(BoardSize maxBoardSize) { throw null; }
        public (int Row, int Column) OtherCell() { throw null; }
        public Direction OtherDirection() { throw null; }
    }
}
