// Compile-only stubs of UnityEngine's application-level services as of Unity 6000.0: Time, Random, the legacy
// Input manager (UnityEngine.InputLegacyModule) with KeyCode and Touch, Resources, Application, Screen,
// QualitySettings, PlayerPrefs. Signatures checked against Unity's C# reference source
// (Unity-Technologies/UnityCsReference, tag 6000.0.23f1, Runtime/Export/{Time,Random,Resources,Application,...},
// Modules/InputLegacy); our own declarations, bodies throw (auto-properties store what is set).
#pragma warning disable 0618
using System;
using System.Collections.Generic;

namespace UnityEngine
{
    public class Time
    {
        public static float captureDeltaTime { get; set; }
        public static int captureFramerate { get; set; }
        public static float deltaTime { get { throw null; } }
        public static float fixedDeltaTime { get; set; }
        public static float fixedTime { get { throw null; } }
        public static double fixedTimeAsDouble { get { throw null; } }
        public static float fixedUnscaledDeltaTime { get { throw null; } }
        public static float fixedUnscaledTime { get { throw null; } }
        public static double fixedUnscaledTimeAsDouble { get { throw null; } }
        public static int frameCount { get { throw null; } }
        public static bool inFixedTimeStep { get { throw null; } }
        public static float maximumDeltaTime { get; set; }
        public static float maximumParticleDeltaTime { get; set; }
        public static float realtimeSinceStartup { get { throw null; } }
        public static double realtimeSinceStartupAsDouble { get { throw null; } }
        public static int renderedFrameCount { get { throw null; } }
        public static float smoothDeltaTime { get { throw null; } }
        public static float time { get { throw null; } }
        public static double timeAsDouble { get { throw null; } }
        public static float timeScale { get; set; }
        public static float timeSinceLevelLoad { get { throw null; } }
        public static double timeSinceLevelLoadAsDouble { get { throw null; } }
        public static float unscaledDeltaTime { get { throw null; } }
        public static float unscaledTime { get { throw null; } }
        public static double unscaledTimeAsDouble { get { throw null; } }
    }

    public static class Random
    {
        public static Color ColorHSV() { throw null; }
        public static Color ColorHSV(float hueMin, float hueMax) { throw null; }
        public static Color ColorHSV(float hueMin, float hueMax, float saturationMin, float saturationMax) { throw null; }
        public static Color ColorHSV(float hueMin, float hueMax, float saturationMin, float saturationMax, float valueMin, float valueMax) { throw null; }
        public static Color ColorHSV(float hueMin, float hueMax, float saturationMin, float saturationMax, float valueMin, float valueMax, float alphaMin, float alphaMax) { throw null; }
        public static void InitState(int seed) { throw null; }
        [Obsolete] public static float RandomRange(float min, float max) { throw null; }
        [Obsolete] public static int RandomRange(int min, int max) { throw null; }
        public static float Range(float minInclusive, float maxInclusive) { throw null; }
        public static int Range(int minInclusive, int maxExclusive) { throw null; }
        public static Vector2 insideUnitCircle { get { throw null; } }
        public static Vector3 insideUnitSphere { get { throw null; } }
        public static Vector3 onUnitSphere { get { throw null; } }
        public static Quaternion rotation { get { throw null; } }
        public static Quaternion rotationUniform { get { throw null; } }
        [Obsolete] public static int seed { get; set; }
        public static float value { get { throw null; } }
    }

    public class Input
    {
        public static void ClearLastPenContactEvent() { throw null; }
        public static float GetAxis(string axisName) { throw null; }
        public static float GetAxisRaw(string axisName) { throw null; }
        public static bool GetButton(string buttonName) { throw null; }
        public static bool GetButtonDown(string buttonName) { throw null; }
        public static bool GetButtonUp(string buttonName) { throw null; }
        public static string[] GetJoystickNames() { throw null; }
        public static bool GetKey(KeyCode key) { throw null; }
        public static bool GetKey(string name) { throw null; }
        public static bool GetKeyDown(KeyCode key) { throw null; }
        public static bool GetKeyDown(string name) { throw null; }
        public static bool GetKeyUp(KeyCode key) { throw null; }
        public static bool GetKeyUp(string name) { throw null; }
        public static bool GetMouseButton(int button) { throw null; }
        public static bool GetMouseButtonDown(int button) { throw null; }
        public static bool GetMouseButtonUp(int button) { throw null; }
        public static Touch GetTouch(int index) { throw null; }
        public static bool IsJoystickPreconfigured(string joystickName) { throw null; }
        public static void ResetInputAxes() { throw null; }
        public static void ResetPenEvents() { throw null; }
        public static Vector3 acceleration { get { throw null; } }
        public static int accelerationEventCount { get { throw null; } }
        public static bool anyKey { get { throw null; } }
        public static bool anyKeyDown { get { throw null; } }
        public static bool backButtonLeavesApp { get; set; }
        public static bool compensateSensors { get; set; }
        public static Vector2 compositionCursorPos { get; set; }
        public static string compositionString { get { throw null; } }
        [Obsolete] public static bool eatKeyPressOnTextFieldFocus { get; set; }
        public static bool imeIsSelected { get { throw null; } }
        public static string inputString { get { throw null; } }
        [Obsolete] public static bool isGyroAvailable { get { throw null; } }
        public static Vector3 mousePosition { get { throw null; } }
        public static Vector3 mousePositionDelta { get { throw null; } }
        public static bool mousePresent { get { throw null; } }
        public static Vector2 mouseScrollDelta { get { throw null; } }
        public static bool multiTouchEnabled { get; set; }
        public static int penEventCount { get { throw null; } }
        public static bool simulateMouseWithTouches { get; set; }
        public static bool stylusTouchSupported { get { throw null; } }
        public static int touchCount { get { throw null; } }
        public static bool touchPressureSupported { get { throw null; } }
        public static bool touchSupported { get { throw null; } }
        public static Touch[] touches { get { throw null; } }
    }

    public enum KeyCode
    {
        A = 97,
        Alpha0 = 48,
        Alpha1 = 49,
        Alpha2 = 50,
        Alpha3 = 51,
        Alpha4 = 52,
        Alpha5 = 53,
        Alpha6 = 54,
        Alpha7 = 55,
        Alpha8 = 56,
        Alpha9 = 57,
        AltGr = 313,
        Ampersand = 38,
        Asterisk = 42,
        At = 64,
        B = 98,
        BackQuote = 96,
        Backslash = 92,
        Backspace = 8,
        Break = 318,
        C = 99,
        CapsLock = 301,
        Caret = 94,
        Clear = 12,
        Colon = 58,
        Comma = 44,
        D = 100,
        Delete = 127,
        Dollar = 36,
        DoubleQuote = 34,
        DownArrow = 274,
        E = 101,
        End = 279,
        Equals = 61,
        Escape = 27,
        Exclaim = 33,
        F = 102,
        F1 = 282,
        F10 = 291,
        F11 = 292,
        F12 = 293,
        F13 = 294,
        F14 = 295,
        F15 = 296,
        F2 = 283,
        F3 = 284,
        F4 = 285,
        F5 = 286,
        F6 = 287,
        F7 = 288,
        F8 = 289,
        F9 = 290,
        G = 103,
        Greater = 62,
        H = 104,
        Hash = 35,
        Help = 315,
        Home = 278,
        I = 105,
        Insert = 277,
        J = 106,
        Joystick1Button0 = 350,
        Joystick1Button1 = 351,
        Joystick1Button10 = 360,
        Joystick1Button11 = 361,
        Joystick1Button12 = 362,
        Joystick1Button13 = 363,
        Joystick1Button14 = 364,
        Joystick1Button15 = 365,
        Joystick1Button16 = 366,
        Joystick1Button17 = 367,
        Joystick1Button18 = 368,
        Joystick1Button19 = 369,
        Joystick1Button2 = 352,
        Joystick1Button3 = 353,
        Joystick1Button4 = 354,
        Joystick1Button5 = 355,
        Joystick1Button6 = 356,
        Joystick1Button7 = 357,
        Joystick1Button8 = 358,
        Joystick1Button9 = 359,
        Joystick2Button0 = 370,
        Joystick2Button1 = 371,
        Joystick2Button10 = 380,
        Joystick2Button11 = 381,
        Joystick2Button12 = 382,
        Joystick2Button13 = 383,
        Joystick2Button14 = 384,
        Joystick2Button15 = 385,
        Joystick2Button16 = 386,
        Joystick2Button17 = 387,
        Joystick2Button18 = 388,
        Joystick2Button19 = 389,
        Joystick2Button2 = 372,
        Joystick2Button3 = 373,
        Joystick2Button4 = 374,
        Joystick2Button5 = 375,
        Joystick2Button6 = 376,
        Joystick2Button7 = 377,
        Joystick2Button8 = 378,
        Joystick2Button9 = 379,
        Joystick3Button0 = 390,
        Joystick3Button1 = 391,
        Joystick3Button10 = 400,
        Joystick3Button11 = 401,
        Joystick3Button12 = 402,
        Joystick3Button13 = 403,
        Joystick3Button14 = 404,
        Joystick3Button15 = 405,
        Joystick3Button16 = 406,
        Joystick3Button17 = 407,
        Joystick3Button18 = 408,
        Joystick3Button19 = 409,
        Joystick3Button2 = 392,
        Joystick3Button3 = 393,
        Joystick3Button4 = 394,
        Joystick3Button5 = 395,
        Joystick3Button6 = 396,
        Joystick3Button7 = 397,
        Joystick3Button8 = 398,
        Joystick3Button9 = 399,
        Joystick4Button0 = 410,
        Joystick4Button1 = 411,
        Joystick4Button10 = 420,
        Joystick4Button11 = 421,
        Joystick4Button12 = 422,
        Joystick4Button13 = 423,
        Joystick4Button14 = 424,
        Joystick4Button15 = 425,
        Joystick4Button16 = 426,
        Joystick4Button17 = 427,
        Joystick4Button18 = 428,
        Joystick4Button19 = 429,
        Joystick4Button2 = 412,
        Joystick4Button3 = 413,
        Joystick4Button4 = 414,
        Joystick4Button5 = 415,
        Joystick4Button6 = 416,
        Joystick4Button7 = 417,
        Joystick4Button8 = 418,
        Joystick4Button9 = 419,
        Joystick5Button0 = 430,
        Joystick5Button1 = 431,
        Joystick5Button10 = 440,
        Joystick5Button11 = 441,
        Joystick5Button12 = 442,
        Joystick5Button13 = 443,
        Joystick5Button14 = 444,
        Joystick5Button15 = 445,
        Joystick5Button16 = 446,
        Joystick5Button17 = 447,
        Joystick5Button18 = 448,
        Joystick5Button19 = 449,
        Joystick5Button2 = 432,
        Joystick5Button3 = 433,
        Joystick5Button4 = 434,
        Joystick5Button5 = 435,
        Joystick5Button6 = 436,
        Joystick5Button7 = 437,
        Joystick5Button8 = 438,
        Joystick5Button9 = 439,
        Joystick6Button0 = 450,
        Joystick6Button1 = 451,
        Joystick6Button10 = 460,
        Joystick6Button11 = 461,
        Joystick6Button12 = 462,
        Joystick6Button13 = 463,
        Joystick6Button14 = 464,
        Joystick6Button15 = 465,
        Joystick6Button16 = 466,
        Joystick6Button17 = 467,
        Joystick6Button18 = 468,
        Joystick6Button19 = 469,
        Joystick6Button2 = 452,
        Joystick6Button3 = 453,
        Joystick6Button4 = 454,
        Joystick6Button5 = 455,
        Joystick6Button6 = 456,
        Joystick6Button7 = 457,
        Joystick6Button8 = 458,
        Joystick6Button9 = 459,
        Joystick7Button0 = 470,
        Joystick7Button1 = 471,
        Joystick7Button10 = 480,
        Joystick7Button11 = 481,
        Joystick7Button12 = 482,
        Joystick7Button13 = 483,
        Joystick7Button14 = 484,
        Joystick7Button15 = 485,
        Joystick7Button16 = 486,
        Joystick7Button17 = 487,
        Joystick7Button18 = 488,
        Joystick7Button19 = 489,
        Joystick7Button2 = 472,
        Joystick7Button3 = 473,
        Joystick7Button4 = 474,
        Joystick7Button5 = 475,
        Joystick7Button6 = 476,
        Joystick7Button7 = 477,
        Joystick7Button8 = 478,
        Joystick7Button9 = 479,
        Joystick8Button0 = 490,
        Joystick8Button1 = 491,
        Joystick8Button10 = 500,
        Joystick8Button11 = 501,
        Joystick8Button12 = 502,
        Joystick8Button13 = 503,
        Joystick8Button14 = 504,
        Joystick8Button15 = 505,
        Joystick8Button16 = 506,
        Joystick8Button17 = 507,
        Joystick8Button18 = 508,
        Joystick8Button19 = 509,
        Joystick8Button2 = 492,
        Joystick8Button3 = 493,
        Joystick8Button4 = 494,
        Joystick8Button5 = 495,
        Joystick8Button6 = 496,
        Joystick8Button7 = 497,
        Joystick8Button8 = 498,
        Joystick8Button9 = 499,
        JoystickButton0 = 330,
        JoystickButton1 = 331,
        JoystickButton10 = 340,
        JoystickButton11 = 341,
        JoystickButton12 = 342,
        JoystickButton13 = 343,
        JoystickButton14 = 344,
        JoystickButton15 = 345,
        JoystickButton16 = 346,
        JoystickButton17 = 347,
        JoystickButton18 = 348,
        JoystickButton19 = 349,
        JoystickButton2 = 332,
        JoystickButton3 = 333,
        JoystickButton4 = 334,
        JoystickButton5 = 335,
        JoystickButton6 = 336,
        JoystickButton7 = 337,
        JoystickButton8 = 338,
        JoystickButton9 = 339,
        K = 107,
        Keypad0 = 256,
        Keypad1 = 257,
        Keypad2 = 258,
        Keypad3 = 259,
        Keypad4 = 260,
        Keypad5 = 261,
        Keypad6 = 262,
        Keypad7 = 263,
        Keypad8 = 264,
        Keypad9 = 265,
        KeypadDivide = 267,
        KeypadEnter = 271,
        KeypadEquals = 272,
        KeypadMinus = 269,
        KeypadMultiply = 268,
        KeypadPeriod = 266,
        KeypadPlus = 270,
        L = 108,
        LeftAlt = 308,
        LeftApple = 310,
        LeftArrow = 276,
        LeftBracket = 91,
        LeftCommand = 310,
        LeftControl = 306,
        LeftCurlyBracket = 123,
        LeftMeta = 310,
        LeftParen = 40,
        LeftShift = 304,
        LeftWindows = 311,
        Less = 60,
        M = 109,
        Menu = 319,
        Minus = 45,
        Mouse0 = 323,
        Mouse1 = 324,
        Mouse2 = 325,
        Mouse3 = 326,
        Mouse4 = 327,
        Mouse5 = 328,
        Mouse6 = 329,
        N = 110,
        None = 0,
        Numlock = 300,
        O = 111,
        P = 112,
        PageDown = 281,
        PageUp = 280,
        Pause = 19,
        Percent = 37,
        Period = 46,
        Pipe = 124,
        Plus = 43,
        Print = 316,
        Q = 113,
        Question = 63,
        Quote = 39,
        R = 114,
        Return = 13,
        RightAlt = 307,
        RightApple = 309,
        RightArrow = 275,
        RightBracket = 93,
        RightCommand = 309,
        RightControl = 305,
        RightCurlyBracket = 125,
        RightMeta = 309,
        RightParen = 41,
        RightShift = 303,
        RightWindows = 312,
        S = 115,
        ScrollLock = 302,
        Semicolon = 59,
        Slash = 47,
        Space = 32,
        SysReq = 317,
        T = 116,
        Tab = 9,
        Tilde = 126,
        U = 117,
        Underscore = 95,
        UpArrow = 273,
        V = 118,
        W = 119,
        WheelDown = 322,
        WheelUp = 321,
        X = 120,
        Y = 121,
        Z = 122,
    }

    public enum TouchPhase
    {
        Began = 0,
        Canceled = 4,
        Ended = 3,
        Moved = 1,
        Stationary = 2,
    }

    public struct Touch
    {
        public float altitudeAngle { get; set; }
        public float azimuthAngle { get; set; }
        public Vector2 deltaPosition { get; set; }
        public float deltaTime { get; set; }
        public int fingerId { get; set; }
        public float maximumPossiblePressure { get; set; }
        public TouchPhase phase { get; set; }
        public Vector2 position { get; set; }
        public float pressure { get; set; }
        public float radius { get; set; }
        public float radiusVariance { get; set; }
        public Vector2 rawPosition { get; set; }
        public int tapCount { get; set; }
    }

    public sealed class Resources
    {
        public static Object[] FindObjectsOfTypeAll(Type type) { throw null; }
        public static T[] FindObjectsOfTypeAll<T>() where T : Object { throw null; }
        public static T GetBuiltinResource<T>(string path) where T : Object { throw null; }
        public static Object GetBuiltinResource(Type type, string path) { throw null; }
        public static bool InstanceIDIsValid(int instanceId) { throw null; }
        public static Object InstanceIDToObject(int instanceID) { throw null; }
        public static Object Load(string path) { throw null; }
        public static Object Load(string path, Type systemTypeInstance) { throw null; }
        public static T Load<T>(string path) where T : Object { throw null; }
        public static Object[] LoadAll(string path) { throw null; }
        public static Object[] LoadAll(string path, Type systemTypeInstance) { throw null; }
        public static T[] LoadAll<T>(string path) where T : Object { throw null; }
        public static ResourceRequest LoadAsync(string path) { throw null; }
        public static ResourceRequest LoadAsync(string path, Type type) { throw null; }
        public static ResourceRequest LoadAsync<T>(string path) where T : Object { throw null; }
        public static void UnloadAsset(Object assetToUnload) { throw null; }
        public static AsyncOperation UnloadUnusedAssets() { throw null; }
    }

    public class ResourceRequest : AsyncOperation
    {
        protected ResourceRequest(IntPtr ptr) { throw null; }
        public ResourceRequest() { throw null; }
        protected virtual Object GetResult() { throw null; }
        public Object asset { get { throw null; } }
    }

    public class AsyncOperation : YieldInstruction
    {
        protected AsyncOperation(IntPtr ptr) { throw null; }
        public AsyncOperation() { throw null; }
        public event Action<AsyncOperation> completed;
        public bool allowSceneActivation { get; set; }
        public bool isDone { get { throw null; } }
        public int priority { get; set; }
        public float progress { get { throw null; } }
    }

    public class Application
    {
        public static event Action<string> deepLinkActivated;
        public static event Action<bool> focusChanged;
        public static event Action quitting;
        public static event Action unloading;
        public static event Func<bool> wantsToQuit;
        public delegate void LogCallback(string condition, string stackTrace, LogType type);
        public delegate void LowMemoryCallback();
        public static event LogCallback logMessageReceived;
        public static event LogCallback logMessageReceivedThreaded;
        public static event LowMemoryCallback lowMemory;
        public static event UnityEngine.Events.UnityAction onBeforeRender;
        public static bool CanStreamedLevelBeLoaded(int levelIndex) { throw null; }
        public static bool CanStreamedLevelBeLoaded(string levelName) { throw null; }
        [Obsolete] public static void CancelQuit() { throw null; }
        [Obsolete] public static void DontDestroyOnLoad(Object o) { throw null; }
        [Obsolete] public static void ExternalCall(string functionName, params object[] args) { throw null; }
        [Obsolete] public static void ExternalEval(string script) { throw null; }
        [Obsolete] public static void ForceCrash(int mode) { throw null; }
        [Obsolete] public static string[] GetBuildTags() { throw null; }
        public static StackTraceLogType GetStackTraceLogType(LogType logType) { throw null; }
        [Obsolete] public static float GetStreamProgressForLevel(int levelIndex) { throw null; }
        [Obsolete] public static float GetStreamProgressForLevel(string levelName) { throw null; }
        public static bool HasProLicense() { throw null; }
        public static bool IsPlaying(Object obj) { throw null; }
        [Obsolete] public static void LoadLevel(int index) { throw null; }
        [Obsolete] public static void LoadLevel(string name) { throw null; }
        [Obsolete] public static void LoadLevelAdditive(int index) { throw null; }
        [Obsolete] public static void LoadLevelAdditive(string name) { throw null; }
        [Obsolete] public static AsyncOperation LoadLevelAdditiveAsync(int index) { throw null; }
        [Obsolete] public static AsyncOperation LoadLevelAdditiveAsync(string levelName) { throw null; }
        [Obsolete] public static AsyncOperation LoadLevelAsync(int index) { throw null; }
        [Obsolete] public static AsyncOperation LoadLevelAsync(string levelName) { throw null; }
        public static void OpenURL(string url) { throw null; }
        public static void Quit(int exitCode) { throw null; }
        public static void Quit() { throw null; }
        [Obsolete] public static void SetBuildTags(string[] buildTags) { throw null; }
        public static void SetStackTraceLogType(LogType logType, StackTraceLogType stackTraceType) { throw null; }
        public static void Unload() { throw null; }
        [Obsolete] public static bool UnloadLevel(int index) { throw null; }
        [Obsolete] public static bool UnloadLevel(string scenePath) { throw null; }
        public static string absoluteURL { get { throw null; } }
        public static string buildGUID { get { throw null; } }
        public static string cloudProjectId { get { throw null; } }
        public static string companyName { get { throw null; } }
        public static string consoleLogPath { get { throw null; } }
        public static string dataPath { get { throw null; } }
        public static bool genuine { get { throw null; } }
        public static bool genuineCheckAvailable { get { throw null; } }
        public static string identifier { get { throw null; } }
        public static ApplicationInstallMode installMode { get { throw null; } }
        public static string installerName { get { throw null; } }
        public static NetworkReachability internetReachability { get { throw null; } }
        public static bool isBatchMode { get { throw null; } }
        public static bool isConsolePlatform { get { throw null; } }
        public static bool isEditor { get { throw null; } }
        public static bool isFocused { get { throw null; } }
        [Obsolete] public static bool isLoadingLevel { get { throw null; } }
        public static bool isMobilePlatform { get { throw null; } }
        [Obsolete] public static bool isPlayer { get { throw null; } }
        public static bool isPlaying { get { throw null; } }
        [Obsolete] public static bool isShowingSplashScreen { get { throw null; } }
        [Obsolete] public static int levelCount { get { throw null; } }
        [Obsolete] public static int loadedLevel { get { throw null; } }
        [Obsolete] public static string loadedLevelName { get { throw null; } }
        public static string persistentDataPath { get { throw null; } }
        public static RuntimePlatform platform { get { throw null; } }
        public static string productName { get { throw null; } }
        public static bool runInBackground { get; set; }
        public static ApplicationSandboxType sandboxType { get { throw null; } }
        [Obsolete] public static StackTraceLogType stackTraceLogType { get; set; }
        [Obsolete] public static int streamedBytes { get { throw null; } }
        public static string streamingAssetsPath { get { throw null; } }
        public static SystemLanguage systemLanguage { get { throw null; } }
        public static int targetFrameRate { get; set; }
        public static string temporaryCachePath { get { throw null; } }
        public static string unityVersion { get { throw null; } }
        public static string version { get { throw null; } }
    }

    public enum RuntimePlatform
    {
        Android = 11,
        BB10Player = 22,
        BlackBerryPlayer = 22,
        CloudRendering = -1,
        EmbeddedLinuxArm32 = 40,
        EmbeddedLinuxArm64 = 39,
        EmbeddedLinuxX64 = 41,
        EmbeddedLinuxX86 = 42,
        FlashPlayer = 15,
        GameCoreScarlett = -1,
        GameCoreXboxOne = 37,
        GameCoreXboxSeries = 36,
        IPhonePlayer = 8,
        LinuxEditor = 16,
        LinuxHeadlessSimulation = 35,
        LinuxPlayer = 13,
        LinuxServer = 43,
        Lumin = 33,
        MetroPlayerARM = 20,
        MetroPlayerX64 = 19,
        MetroPlayerX86 = 18,
        NaCl = 12,
        OSXDashboardPlayer = 4,
        OSXEditor = 0,
        OSXPlayer = 1,
        OSXServer = 45,
        OSXWebPlayer = 3,
        PS3 = 9,
        PS4 = 25,
        PS5 = 38,
        PSM = 26,
        PSP2 = 24,
        QNXArm32 = 46,
        QNXArm64 = 47,
        QNXX64 = 48,
        QNXX86 = 49,
        ReservedCFE = 51,
        SamsungTVPlayer = 28,
        Stadia = 34,
        Switch = 32,
        TizenPlayer = 23,
        VisionOS = 50,
        WP8Player = 21,
        WSAPlayerARM = 20,
        WSAPlayerX64 = 19,
        WSAPlayerX86 = 18,
        WebGLPlayer = 17,
        WiiU = 30,
        WindowsEditor = 7,
        WindowsPlayer = 2,
        WindowsServer = 44,
        WindowsWebPlayer = 5,
        XBOX360 = 10,
        XboxOne = 27,
        tvOS = 31,
    }

    public enum SystemLanguage
    {
        Afrikaans = 0,
        Arabic = 1,
        Basque = 2,
        Belarusian = 3,
        Bulgarian = 4,
        Catalan = 5,
        Chinese = 6,
        ChineseSimplified = 40,
        ChineseTraditional = 41,
        Czech = 7,
        Danish = 8,
        Dutch = 9,
        English = 10,
        Estonian = 11,
        Faroese = 12,
        Finnish = 13,
        French = 14,
        German = 15,
        Greek = 16,
        Hebrew = 17,
        Hindi = 42,
        Hugarian = 18,
        Hungarian = 18,
        Icelandic = 19,
        Indonesian = 20,
        Italian = 21,
        Japanese = 22,
        Korean = 23,
        Latvian = 24,
        Lithuanian = 25,
        Norwegian = 26,
        Polish = 27,
        Portuguese = 28,
        Romanian = 29,
        Russian = 30,
        SerboCroatian = 31,
        Slovak = 32,
        Slovenian = 33,
        Spanish = 34,
        Swedish = 35,
        Thai = 36,
        Turkish = 37,
        Ukrainian = 38,
        Unknown = 43,
        Vietnamese = 39,
    }

    public enum NetworkReachability
    {
        NotReachable = 0,
        ReachableViaCarrierDataNetwork = 1,
        ReachableViaLocalAreaNetwork = 2,
    }

    public enum ApplicationInstallMode
    {
        Adhoc = 3,
        DeveloperBuild = 2,
        Editor = 5,
        Enterprise = 4,
        Store = 1,
        Unknown = 0,
    }

    public enum ApplicationSandboxType
    {
        NotSandboxed = 1,
        SandboxBroken = 3,
        Sandboxed = 2,
        Unknown = 0,
    }

    public enum StackTraceLogType
    {
        Full = 2,
        None = 0,
        ScriptOnly = 1,
    }

    public enum LogType
    {
        Assert = 1,
        Error = 0,
        Exception = 4,
        Log = 3,
        Warning = 2,
    }

    public sealed class Screen
    {
        public static void SetMSAASamples(int numSamples) { throw null; }
        [Obsolete] public static void SetResolution(int width, int height, FullScreenMode fullscreenMode, int preferredRefreshRate) { throw null; }
        [Obsolete] public static void SetResolution(int width, int height, bool fullscreen, int preferredRefreshRate) { throw null; }
        public static void SetResolution(int width, int height, FullScreenMode fullscreenMode) { throw null; }
        public static void SetResolution(int width, int height, bool fullscreen) { throw null; }
        public static bool autorotateToLandscapeLeft { get; set; }
        public static bool autorotateToLandscapeRight { get; set; }
        public static bool autorotateToPortrait { get; set; }
        public static bool autorotateToPortraitUpsideDown { get; set; }
        public static float brightness { get; set; }
        public static Resolution currentResolution { get { throw null; } }
        public static Rect[] cutouts { get { throw null; } }
        public static float dpi { get { throw null; } }
        public static bool fullScreen { get; set; }
        public static FullScreenMode fullScreenMode { get; set; }
        public static int height { get { throw null; } }
        [Obsolete] public static bool lockCursor { get; set; }
        public static int msaaSamples { get { throw null; } }
        public static Resolution[] resolutions { get { throw null; } }
        public static Rect safeArea { get { throw null; } }
        public static int sleepTimeout { get; set; }
        public static int width { get { throw null; } }
    }

    public enum FullScreenMode
    {
        ExclusiveFullScreen = 0,
        FullScreenWindow = 1,
        MaximizedWindow = 2,
        Windowed = 3,
    }

    public struct Resolution
    {
        public override string ToString() { throw null; }
        public int height { get; set; }
        [Obsolete] public int refreshRate { get; set; }
        public int width { get; set; }
    }

    public sealed class QualitySettings : Object
    {
        QualitySettings() { }
        public static event Action<int, int> activeQualityLevelChanged;
        public static void DecreaseLevel() { throw null; }
        public static void DecreaseLevel(bool applyExpensiveChanges) { throw null; }
        public static void ForEach(Action callback) { throw null; }
        public static void ForEach(Action<int, string> callback) { throw null; }
        public static int[] GetActiveQualityLevelsForPlatform(string buildTargetGroupName) { throw null; }
        public static int GetActiveQualityLevelsForPlatformCount(string buildTargetGroupName) { throw null; }
        public static int GetQualityLevel() { throw null; }
        public static Object GetQualitySettings() { throw null; }
        public static void IncreaseLevel() { throw null; }
        public static void IncreaseLevel(bool applyExpensiveChanges) { throw null; }
        public static bool IsPlatformIncluded(string buildTargetGroupName, int index) { throw null; }
        public static void SetLODSettings(float lodBias, int maximumLODLevel, bool setDirty = true) { throw null; }
        public static void SetQualityLevel(int index, bool applyExpensiveChanges) { throw null; }
        public static void SetQualityLevel(int index) { throw null; }
        public static bool TryExcludePlatformAt(string buildTargetGroupName, int index, out Exception error) { throw null; }
        public static bool TryIncludePlatformAt(string buildTargetGroupName, int index, out Exception error) { throw null; }
        public static int antiAliasing { get; set; }
        public static int asyncUploadBufferSize { get; set; }
        public static bool asyncUploadPersistentBuffer { get; set; }
        public static int asyncUploadTimeSlice { get; set; }
        public static bool billboardsFaceCameraPosition { get; set; }
        public static int count { get { throw null; } }
        public static bool enableLODCrossFade { get; set; }
        public static int globalTextureMipmapLimit { get; set; }
        public static float lodBias { get; set; }
        [Obsolete] public static int masterTextureLimit { get; set; }
        public static int maxQueuedFrames { get; set; }
        public static int maximumLODLevel { get; set; }
        public static string[] names { get { throw null; } }
        public static int particleRaycastBudget { get; set; }
        public static int pixelLightCount { get; set; }
        public static int realtimeGICPUUsage { get; set; }
        public static bool realtimeReflectionProbes { get; set; }
        public static float resolutionScalingFixedDPIFactor { get; set; }
        public static float shadowCascade2Split { get; set; }
        public static Vector3 shadowCascade4Split { get; set; }
        public static int shadowCascades { get; set; }
        public static float shadowDistance { get; set; }
        public static float shadowNearPlaneOffset { get; set; }
        public static bool softParticles { get; set; }
        public static bool softVegetation { get; set; }
        public static bool streamingMipmapsActive { get; set; }
        public static bool streamingMipmapsAddAllCameras { get; set; }
        public static int streamingMipmapsMaxFileIORequests { get; set; }
        public static int streamingMipmapsMaxLevelReduction { get; set; }
        public static float streamingMipmapsMemoryBudget { get; set; }
        public static int streamingMipmapsRenderersPerFrame { get; set; }
        public static float terrainBasemapDistance { get; set; }
        public static float terrainBillboardStart { get; set; }
        public static float terrainDetailDensityScale { get; set; }
        public static float terrainDetailDistance { get; set; }
        public static float terrainFadeLength { get; set; }
        public static float terrainMaxTrees { get; set; }
        public static float terrainPixelError { get; set; }
        public static float terrainTreeDistance { get; set; }
        public static bool useLegacyDetailDistribution { get; set; }
        public static int vSyncCount { get; set; }
    }

    public class PlayerPrefs
    {
        public static void DeleteAll() { throw null; }
        public static void DeleteKey(string key) { throw null; }
        public static float GetFloat(string key, float defaultValue) { throw null; }
        public static float GetFloat(string key) { throw null; }
        public static int GetInt(string key, int defaultValue) { throw null; }
        public static int GetInt(string key) { throw null; }
        public static string GetString(string key, string defaultValue) { throw null; }
        public static string GetString(string key) { throw null; }
        public static bool HasKey(string key) { throw null; }
        public static void Save() { throw null; }
        public static void SetFloat(string key, float value) { throw null; }
        public static void SetInt(string key, int value) { throw null; }
        public static void SetString(string key, string value) { throw null; }
    }
}
