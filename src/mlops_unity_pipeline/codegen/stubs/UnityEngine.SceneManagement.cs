// Compile-only stubs of UnityEngine.SceneManagement as of Unity 6000.0: Scene, SceneManager and their load
// modes. Signatures checked against Unity's C# reference source (Unity-Technologies/UnityCsReference, tag
// 6000.0.23f1, Runtime/Export/SceneManager); our own declarations, bodies throw.
using System;
using System.Collections.Generic;
using UnityEngine.Events;

namespace UnityEngine.SceneManagement
{
    public enum LoadSceneMode
    {
        Additive = 1,
        Single = 0,
    }

    [Flags] public enum LocalPhysicsMode
    {
        None = 0,
        Physics2D = 1,
        Physics3D = 2,
    }

    public struct LoadSceneParameters
    {
        public LoadSceneParameters(LoadSceneMode mode) { throw null; }
        public LoadSceneParameters(LoadSceneMode mode, LocalPhysicsMode physicsMode) { throw null; }
        public LoadSceneMode loadSceneMode { get; set; }
        public LocalPhysicsMode localPhysicsMode { get; set; }
    }

    public struct Scene
    {
        public override bool Equals(object other) { throw null; }
        public override int GetHashCode() { throw null; }
        public GameObject[] GetRootGameObjects() { throw null; }
        public void GetRootGameObjects(List<GameObject> rootGameObjects) { throw null; }
        public bool IsValid() { throw null; }
        public static bool operator !=(Scene lhs, Scene rhs) { throw null; }
        public static bool operator ==(Scene lhs, Scene rhs) { throw null; }
        public int buildIndex { get { throw null; } }
        public int handle { get { throw null; } }
        public bool isDirty { get { throw null; } }
        public bool isLoaded { get { throw null; } }
        public bool isSubScene { get; set; }
        public string name { get; set; }
        public string path { get { throw null; } }
        public int rootCount { get { throw null; } }
    }

    public class SceneManager
    {
        public static event UnityAction<Scene, Scene> activeSceneChanged;
        public static event UnityAction<Scene, LoadSceneMode> sceneLoaded;
        public static event UnityAction<Scene> sceneUnloaded;
        public static Scene CreateScene(string sceneName) { throw null; }
        public static Scene GetActiveScene() { throw null; }
        [Obsolete] public static Scene[] GetAllScenes() { throw null; }
        public static Scene GetSceneAt(int index) { throw null; }
        public static Scene GetSceneByBuildIndex(int buildIndex) { throw null; }
        public static Scene GetSceneByName(string name) { throw null; }
        public static Scene GetSceneByPath(string scenePath) { throw null; }
        public static Scene LoadScene(int sceneBuildIndex, LoadSceneParameters parameters) { throw null; }
        public static Scene LoadScene(string sceneName, LoadSceneParameters parameters) { throw null; }
        public static void LoadScene(int sceneBuildIndex) { throw null; }
        public static void LoadScene(int sceneBuildIndex, LoadSceneMode mode) { throw null; }
        public static void LoadScene(string sceneName) { throw null; }
        public static void LoadScene(string sceneName, LoadSceneMode mode) { throw null; }
        public static AsyncOperation LoadSceneAsync(int sceneBuildIndex) { throw null; }
        public static AsyncOperation LoadSceneAsync(int sceneBuildIndex, LoadSceneMode mode) { throw null; }
        public static AsyncOperation LoadSceneAsync(int sceneBuildIndex, LoadSceneParameters parameters) { throw null; }
        public static AsyncOperation LoadSceneAsync(string sceneName) { throw null; }
        public static AsyncOperation LoadSceneAsync(string sceneName, LoadSceneMode mode) { throw null; }
        public static AsyncOperation LoadSceneAsync(string sceneName, LoadSceneParameters parameters) { throw null; }
        public static void MergeScenes(Scene sourceScene, Scene destinationScene) { throw null; }
        public static void MoveGameObjectToScene(GameObject go, Scene scene) { throw null; }
        public static bool SetActiveScene(Scene scene) { throw null; }
        [Obsolete] public static bool UnloadScene(Scene scene) { throw null; }
        [Obsolete] public static bool UnloadScene(int sceneBuildIndex) { throw null; }
        [Obsolete] public static bool UnloadScene(string sceneName) { throw null; }
        public static AsyncOperation UnloadSceneAsync(Scene scene) { throw null; }
        public static AsyncOperation UnloadSceneAsync(int sceneBuildIndex) { throw null; }
        public static AsyncOperation UnloadSceneAsync(string sceneName) { throw null; }
        public static int loadedSceneCount { get { throw null; } }
        public static int sceneCount { get { throw null; } }
        public static int sceneCountInBuildSettings { get { throw null; } }
    }
}
