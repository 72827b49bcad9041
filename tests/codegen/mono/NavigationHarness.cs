// Test harness (not generated code): runs a generated navigation Agent's physics under Mono, one physics step
// per action line, so tests can compare it with the simulator. Private state is set through reflection.
//
// stdin:  class name / agent x z / target x z / move speed / obstacle count / one "x z" line per obstacle /
//         then one action line per physics step ("ax az" for continuous, "index" for discrete); a line
//         "P x z" puts the agent at (x, z) (to start each decision from the simulator's state)
// stdout: one line per physics step: "x z vx vz reward episodes_ended"
// With the line "HEURISTIC" after the obstacles, each following "x z" line places the agent there and prints
// the scripted heuristic's move "mx mz best_discrete_move" instead.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Reflection;
using UnityEngine;
using Unity.MLAgents;
using Unity.MLAgents.Actuators;

public static class NavigationHarness
{
    const BindingFlags k_Private = BindingFlags.NonPublic | BindingFlags.Instance;

    public static int Main()
    {
        CultureInfo inv = CultureInfo.InvariantCulture;
        string[] lines = Console.In.ReadToEnd().Split('\n');
        int line = 0;
        Func<float[]> next = () => Array.ConvertAll(
            lines[line++].Trim().Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries),
            t => float.Parse(t, inv));

        Type agentType = Type.GetType(lines[line++].Trim());
        Agent agent = (Agent)Activator.CreateInstance(agentType);
        ArenaBootstrap arena = new ArenaBootstrap();
        float[] start = next();
        float[] target = next();
        Set(agent, "m_Position", new Vector3(start[0], 0.5f, start[1]));
        Set(agent, "m_Target", new Vector3(target[0], 0.5f, target[1]));
        Set(agent, "m_MoveSpeed", next()[0]);
        int count = (int)next()[0];
        var centres = new List<Vector3>();
        for (int i = 0; i < count; i++)
        {
            float[] c = next();
            centres.Add(new Vector3(c[0], 1f, c[1]));
        }
        typeof(ArenaBootstrap).GetField("m_ActiveCentres", k_Private).SetValue(arena, centres);
        Set(agent, "m_ActiveObstacles", count);
        agentType.GetField("arena").SetValue(agent, arena);

        if (lines[line].Trim() == "HEURISTIC")
        {
            line++;
            MethodInfo scripted = agentType.GetMethod("ScriptedMove", k_Private);
            MethodInfo best = agentType.GetMethod("BestAllowedMove", k_Private);
            while (line < lines.Length && lines[line].Trim().Length > 0)
            {
                float[] at = next();
                Set(agent, "m_Position", new Vector3(at[0], 0.5f, at[1]));
                Vector2 move = (Vector2)scripted.Invoke(agent, null);
                int index = best == null ? -1 : (int)best.Invoke(agent, new object[] { move });
                Console.WriteLine(string.Format(inv, "{0:R} {1:R} {2}", move.x, move.y, index));
            }
            return 0;
        }
        while (line < lines.Length && lines[line].Trim().Length > 0)
        {
            if (lines[line].StartsWith("P "))
            {
                // resynchronise with the simulator's state at a decision (float32 here, float64 there)
                float[] at = Array.ConvertAll(lines[line++].Substring(2).Trim().Split(' '), t => float.Parse(t, inv));
                Set(agent, "m_Position", new Vector3(at[0], 0.5f, at[1]));
                continue;
            }
            float[] action = next();
            ActionBuffers buffers = action.Length == 2
                ? new ActionBuffers(action, new int[0])
                : new ActionBuffers(new float[0], new[] { (int)action[0] });
            float before = agent.GetCumulativeReward();
            agent.OnActionReceived(buffers);
            Vector3 p = (Vector3)agentType.GetField("m_Position", k_Private).GetValue(agent);
            Vector3 v = (Vector3)agentType.GetField("m_Velocity", k_Private).GetValue(agent);
            Console.WriteLine(string.Format(inv, "{0:R} {1:R} {2:R} {3:R} {4:R} {5}", p.x, p.z, v.x, v.z,
                agent.GetCumulativeReward() - before, agent.CompletedEpisodes));
            if (agent.CompletedEpisodes > 0)
            {
                break;
            }
        }
        return 0;
    }

    static void Set(object target, string field, object value)
    {
        target.GetType().GetField(field, k_Private).SetValue(target, value);
    }
}
