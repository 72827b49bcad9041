// Compile-only stubs of the UnityEditor API that editor build scripts use (signatures only, never executed).
// Type headers and constructors follow Unity's C# reference source (Unity-Technologies/UnityCsReference, tag
// 6000.0.23f1, Editor/Mono); members are not compared one by one (part of that source is not in the mirror).
#pragma warning disable 0067, 0649
using System;
using UnityEngine;

namespace UnityEditor
{
    public enum BuildTarget { StandaloneOSX = 2, StandaloneWindows = 5, iOS = 9, Android = 13, StandaloneWindows64 = 19, WebGL = 20, StandaloneLinux64 = 24 }
    public enum BuildTargetGroup { Unknown = 0, Standalone = 1, iOS = 4, Android = 7, WebGL = 13 }
    public enum StandaloneBuildSubtarget { Player = 2, Server = 1 }

    [Flags]
    public enum BuildOptions
    {
        None = 0, Development = 1, AutoRunPlayer = 4, ShowBuiltPlayer = 8, AllowDebugging = 512,
        EnableHeadlessMode = 16384, StrictMode = 2097152, DetailedBuildReport = 134217728
    }

    public struct BuildPlayerOptions
    {
        public string[] scenes { get; set; }
        public string locationPathName { get; set; }
        public string assetBundleManifestPath { get; set; }
        public BuildTargetGroup targetGroup { get; set; }
        public BuildTarget target { get; set; }
        public int subtarget { get; set; }
        public BuildOptions options { get; set; }
        public string[] extraScriptingDefines { get; set; }
    }

    public class BuildPipeline
    {
        public static Build.Reporting.BuildReport BuildPlayer(BuildPlayerOptions buildPlayerOptions) { throw null; }
        public static Build.Reporting.BuildReport BuildPlayer(string[] levels, string locationPathName, BuildTarget target, BuildOptions options) { throw null; }
        public static BuildTargetGroup GetBuildTargetGroup(BuildTarget platform) { throw null; }
    }

    public class EditorUserBuildSettings : UnityEngine.Object
    {
        EditorUserBuildSettings() { }
        public static BuildTarget activeBuildTarget { get { throw null; } }
        public static StandaloneBuildSubtarget standaloneBuildSubtarget { get; set; }
        public static bool development { get; set; }
        public static bool SwitchActiveBuildTarget(BuildTargetGroup targetGroup, BuildTarget target) { throw null; }
    }

    public class EditorBuildSettingsScene : IComparable
    {
        public EditorBuildSettingsScene() { }
        public EditorBuildSettingsScene(string path, bool enabled) { }
        public int CompareTo(object obj) { throw null; }
        public bool enabled { get; set; }
        public string path { get; set; }
    }

    public class EditorBuildSettings : UnityEngine.Object
    {
        EditorBuildSettings() { }
        public static EditorBuildSettingsScene[] scenes { get; set; }
    }

    public sealed class EditorApplication
    {
        public static bool isPlaying { get; set; }
        public static bool isCompiling { get { throw null; } }
        public static void Exit(int returnValue) { throw null; }
    }

    public sealed class AssetDatabase
    {
        public static void Refresh() { throw null; }
        public static void SaveAssets() { throw null; }
        public static bool IsValidFolder(string path) { throw null; }
        public static string CreateFolder(string parentFolder, string newFolderName) { throw null; }
        public static T LoadAssetAtPath<T>(string assetPath) where T : UnityEngine.Object { throw null; }
    }

    public sealed class PlayerSettings : UnityEngine.Object
    {
        PlayerSettings() { }
        public static string productName { get; set; }
        public static string companyName { get; set; }
        public static bool runInBackground { get; set; }
        public static void SetScriptingBackend(BuildTargetGroup targetGroup, ScriptingImplementation backend) { throw null; }
    }

    public enum ScriptingImplementation { Mono2x = 0, IL2CPP = 1 }

    [AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
    public sealed class MenuItem : Attribute
    {
        public MenuItem(string itemName) { }
        public MenuItem(string itemName, bool isValidateFunction) { }
    }

    [AttributeUsage(AttributeTargets.Class)]
    public class InitializeOnLoadAttribute : Attribute { }

    public class Editor : ScriptableObject
    {
        public UnityEngine.Object target { get; set; }
        public virtual void OnInspectorGUI() { throw null; }
    }
}

namespace UnityEditor.Build.Reporting
{
    public enum BuildResult { Unknown = 0, Succeeded = 1, Failed = 2, Cancelled = 3 }

    public struct BuildSummary
    {
        public BuildResult result { get { throw null; } }
        public int totalErrors { get { throw null; } }
        public int totalWarnings { get { throw null; } }
        public ulong totalSize { get { throw null; } }
        public TimeSpan totalTime { get { throw null; } }
        public string outputPath { get { throw null; } }
        public UnityEditor.BuildTarget platform { get { throw null; } }
    }

    public sealed class BuildReport : UnityEngine.Object
    {
        BuildReport() { }
        public BuildSummary summary { get { throw null; } }
    }
}

namespace UnityEditor.SceneManagement
{
    public enum NewSceneSetup { EmptyScene = 0, DefaultGameObjects = 1 }
    public enum NewSceneMode { Single = 0, Additive = 1 }

    public sealed class EditorSceneManager : UnityEngine.SceneManagement.SceneManager
    {
        public static UnityEngine.SceneManagement.Scene NewScene(NewSceneSetup setup) { throw null; }
        public static UnityEngine.SceneManagement.Scene NewScene(NewSceneSetup setup, NewSceneMode mode) { throw null; }
        public static bool SaveScene(UnityEngine.SceneManagement.Scene scene) { throw null; }
        public static bool SaveScene(UnityEngine.SceneManagement.Scene scene, string dstScenePath) { throw null; }
        public static UnityEngine.SceneManagement.Scene OpenScene(string scenePath) { throw null; }
    }
}
