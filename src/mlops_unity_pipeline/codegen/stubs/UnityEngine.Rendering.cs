// Compile-only stubs of UnityEngine's basic rendering types as of Unity 6000.0 (UnityEngine.CoreModule): cameras,
// lights, meshes, materials, shaders, textures, renderers, line renderers, gizmos. Signatures checked against
// Unity's C# reference source (Unity-Technologies/UnityCsReference, tag 6000.0.23f1, Runtime/Export/Camera,
// Runtime/Export/Graphics, Runtime/Export/Gizmos); our own declarations, bodies throw. Members over types we do
// not model (command buffers, native arrays, render pipelines...) are left out.
#pragma warning disable 0618
using System;
using System.Collections.Generic;

namespace UnityEngine
{
    public enum CameraClearFlags
    {
        Color = 2,
        Depth = 3,
        Nothing = 4,
        Skybox = 1,
        SolidColor = 2,
    }

    public sealed class Camera : Behaviour
    {
        public const float kMaxAperture = 32f;
        public const int kMaxBladeCount = 11;
        public const float kMinAperture = 0.7f;
        public const int kMinBladeCount = 3;
        public Matrix4x4 CalculateObliqueMatrix(Vector4 clipPlane) { throw null; }
        public void CopyFrom(Camera other) { throw null; }
        public static float FieldOfViewToFocalLength(float fieldOfView, float sensorSize) { throw null; }
        public static float FocalLengthToFieldOfView(float focalLength, float sensorSize) { throw null; }
        public static int GetAllCameras(Camera[] cameras) { throw null; }
        public float GetGateFittedFieldOfView() { throw null; }
        public Vector2 GetGateFittedLensShift() { throw null; }
        [Obsolete] public Matrix4x4[] GetStereoProjectionMatrices() { throw null; }
        [Obsolete] public Matrix4x4[] GetStereoViewMatrices() { throw null; }
        public static float HorizontalToVerticalFieldOfView(float horizontalFieldOfView, float aspectRatio) { throw null; }
        public void RemoveAllCommandBuffers() { throw null; }
        public void Render() { throw null; }
        public void RenderDontRestore() { throw null; }
        public bool RenderToCubemap(RenderTexture cubemap) { throw null; }
        public bool RenderToCubemap(RenderTexture cubemap, int faceMask) { throw null; }
        public void RenderWithShader(Shader shader, string replacementTag) { throw null; }
        public void Reset() { throw null; }
        public void ResetAspect() { throw null; }
        public void ResetCullingMatrix() { throw null; }
        [Obsolete] public void ResetFieldOfView() { throw null; }
        public void ResetProjectionMatrix() { throw null; }
        public void ResetReplacementShader() { throw null; }
        public void ResetStereoProjectionMatrices() { throw null; }
        public void ResetStereoViewMatrices() { throw null; }
        public void ResetTransparencySortSettings() { throw null; }
        public void ResetWorldToCameraMatrix() { throw null; }
        public Ray ScreenPointToRay(Vector3 pos) { throw null; }
        public Vector3 ScreenToViewportPoint(Vector3 position) { throw null; }
        public Vector3 ScreenToWorldPoint(Vector3 position) { throw null; }
        public void SetReplacementShader(Shader shader, string replacementTag) { throw null; }
        [Obsolete] public void SetStereoProjectionMatrices(Matrix4x4 leftMatrix, Matrix4x4 rightMatrix) { throw null; }
        [Obsolete] public void SetStereoViewMatrices(Matrix4x4 leftMatrix, Matrix4x4 rightMatrix) { throw null; }
        public static void SetupCurrent(Camera cur) { throw null; }
        public static float VerticalToHorizontalFieldOfView(float verticalFieldOfView, float aspectRatio) { throw null; }
        public Ray ViewportPointToRay(Vector3 pos) { throw null; }
        public Vector3 ViewportToScreenPoint(Vector3 position) { throw null; }
        public Vector3 ViewportToWorldPoint(Vector3 position) { throw null; }
        public Vector3 WorldToScreenPoint(Vector3 position) { throw null; }
        public Vector3 WorldToViewportPoint(Vector3 position) { throw null; }
        public RenderTexture activeTexture { get { throw null; } }
        public static Camera[] allCameras { get { throw null; } }
        public static int allCamerasCount { get { throw null; } }
        public bool allowDynamicResolution { get; set; }
        public bool allowHDR { get; set; }
        public bool allowMSAA { get; set; }
        public float anamorphism { get; set; }
        public float aperture { get; set; }
        public bool areVRStereoViewMatricesWithinSingleCullTolerance { get { throw null; } }
        public float aspect { get; set; }
        public Color backgroundColor { get; set; }
        public float barrelClipping { get; set; }
        public int bladeCount { get; set; }
        public Matrix4x4 cameraToWorldMatrix { get { throw null; } }
        public CameraClearFlags clearFlags { get; set; }
        public bool clearStencilAfterLightingPass { get; set; }
        public int commandBufferCount { get { throw null; } }
        public int cullingMask { get; set; }
        public Matrix4x4 cullingMatrix { get; set; }
        public static Camera current { get { throw null; } }
        public Vector2 curvature { get; set; }
        public float depth { get; set; }
        public int eventMask { get; set; }
        [Obsolete] public float far { get; set; }
        public float farClipPlane { get; set; }
        public float fieldOfView { get; set; }
        public float focalLength { get; set; }
        public float focusDistance { get; set; }
        public bool forceIntoRenderTexture { get; set; }
        [Obsolete] public float fov { get; set; }
        [Obsolete] public bool hdr { get; set; }
        public int iso { get; set; }
        public float[] layerCullDistances { get; set; }
        public bool layerCullSpherical { get; set; }
        public Vector2 lensShift { get; set; }
        public static Camera main { get { throw null; } }
        [Obsolete] public float near { get; set; }
        public float nearClipPlane { get; set; }
        public Matrix4x4 nonJitteredProjectionMatrix { get; set; }
        public bool orthographic { get; set; }
        public float orthographicSize { get; set; }
        public ulong overrideSceneCullingMask { get; set; }
        public int pixelHeight { get { throw null; } }
        public Rect pixelRect { get; set; }
        public int pixelWidth { get { throw null; } }
        public Matrix4x4 previousViewProjectionMatrix { get { throw null; } }
        public Matrix4x4 projectionMatrix { get; set; }
        public Rect rect { get; set; }
        public bool renderCloudsInSceneView { get; set; }
        public int scaledPixelHeight { get { throw null; } }
        public int scaledPixelWidth { get { throw null; } }
        public Vector2 sensorSize { get; set; }
        public float shutterSpeed { get; set; }
        public float stereoConvergence { get; set; }
        public bool stereoEnabled { get { throw null; } }
        public float stereoSeparation { get; set; }
        public int targetDisplay { get; set; }
        public RenderTexture targetTexture { get; set; }
        public Vector3 transparencySortAxis { get; set; }
        public bool useJitteredProjectionMatrixForTransparentRendering { get; set; }
        public bool useOcclusionCulling { get; set; }
        public bool usePhysicalProperties { get; set; }
        public Vector3 velocity { get { throw null; } }
        public Matrix4x4 worldToCameraMatrix { get; set; }
    }

    public class Texture : Object
    {
        protected Texture() { }
        [Obsolete] public int GetNativeTextureID() { throw null; }
        public IntPtr GetNativeTexturePtr() { throw null; }
        public void IncrementUpdateCount() { throw null; }
        public static void SetGlobalAnisotropicFilteringLimits(int forcedMin, int globalMax) { throw null; }
        public static void SetStreamingTextureMaterialDebugProperties() { throw null; }
        public static void SetStreamingTextureMaterialDebugProperties(int materialTextureSlot) { throw null; }
        public static bool allowThreadedTextureCreation { get; set; }
        public int anisoLevel { get; set; }
        public static ulong currentTextureMemory { get { throw null; } }
        public static ulong desiredTextureMemory { get { throw null; } }
        public FilterMode filterMode { get; set; }
        [Obsolete] public static int globalMipmapLimit { get; set; }
        public virtual int height { get; set; }
        public bool isDataSRGB { get { throw null; } }
        public virtual bool isReadable { get { throw null; } }
        [Obsolete] public static int masterTextureLimit { get; set; }
        public float mipMapBias { get; set; }
        public int mipmapCount { get { throw null; } }
        public static ulong nonStreamingTextureCount { get { throw null; } }
        public static ulong nonStreamingTextureMemory { get { throw null; } }
        public static ulong streamingMipmapUploadCount { get { throw null; } }
        public static ulong streamingRendererCount { get { throw null; } }
        public static ulong streamingTextureCount { get { throw null; } }
        public static bool streamingTextureDiscardUnusedMips { get; set; }
        public static bool streamingTextureForceLoadAll { get; set; }
        public static ulong streamingTextureLoadingCount { get { throw null; } }
        public static ulong streamingTexturePendingLoadCount { get { throw null; } }
        public static ulong targetTextureMemory { get { throw null; } }
        public Vector2 texelSize { get { throw null; } }
        public static ulong totalTextureMemory { get { throw null; } }
        public uint updateCount { get { throw null; } }
        public virtual int width { get; set; }
        public TextureWrapMode wrapMode { get; set; }
        public TextureWrapMode wrapModeU { get; set; }
        public TextureWrapMode wrapModeV { get; set; }
        public TextureWrapMode wrapModeW { get; set; }
    }

    public sealed class Texture2D : Texture
    {
        [Obsolete] public Texture2D(int width, int height, TextureFormat textureFormat, int mipCount, bool linear, bool createUninitialized, bool ignoreMipmapLimit, string mipmapLimitGroupName) { throw null; }
        public Texture2D(int width, int height) { throw null; }
        public Texture2D(int width, int height, TextureFormat textureFormat, bool mipChain) { throw null; }
        public Texture2D(int width, int height, TextureFormat textureFormat, bool mipChain, bool linear) { throw null; }
        public Texture2D(int width, int height, TextureFormat textureFormat, bool mipChain, bool linear, bool createUninitialized) { throw null; }
        public Texture2D(int width, int height, TextureFormat textureFormat, int mipCount, bool linear) { throw null; }
        public Texture2D(int width, int height, TextureFormat textureFormat, int mipCount, bool linear, bool createUninitialized) { throw null; }
        public void Apply() { throw null; }
        public void Apply(bool updateMipmaps) { throw null; }
        public void Apply(bool updateMipmaps, bool makeNoLongerReadable) { throw null; }
        public void ClearMinimumMipmapLevel() { throw null; }
        public void ClearRequestedMipmapLevel() { throw null; }
        public void Compress(bool highQuality) { throw null; }
        public void CopyPixels(Texture src) { throw null; }
        public void CopyPixels(Texture src, int srcElement, int srcMip, int dstMip) { throw null; }
        public void CopyPixels(Texture src, int srcElement, int srcMip, int srcX, int srcY, int srcWidth, int srcHeight, int dstMip, int dstX, int dstY) { throw null; }
        public static Texture2D CreateExternalTexture(int width, int height, TextureFormat format, bool mipChain, bool linear, IntPtr nativeTex) { throw null; }
        public static bool GenerateAtlas(Vector2[] sizes, int padding, int atlasSize, List<Rect> results) { throw null; }
        public Color GetPixel(int x, int y) { throw null; }
        public Color GetPixel(int x, int y, int mipLevel) { throw null; }
        public Color GetPixelBilinear(float u, float v) { throw null; }
        public Color GetPixelBilinear(float u, float v, int mipLevel) { throw null; }
        public Color[] GetPixels() { throw null; }
        public Color[] GetPixels(int miplevel) { throw null; }
        public Color[] GetPixels(int x, int y, int blockWidth, int blockHeight) { throw null; }
        public Color[] GetPixels(int x, int y, int blockWidth, int blockHeight, int miplevel) { throw null; }
        public Color32[] GetPixels32() { throw null; }
        public Color32[] GetPixels32(int miplevel) { throw null; }
        public byte[] GetRawTextureData() { throw null; }
        public bool IsRequestedMipmapLevelLoaded() { throw null; }
        public void LoadRawTextureData(IntPtr data, int size) { throw null; }
        public void LoadRawTextureData(byte[] data) { throw null; }
        public Rect[] PackTextures(Texture2D[] textures, int padding) { throw null; }
        public Rect[] PackTextures(Texture2D[] textures, int padding, int maximumAtlasSize) { throw null; }
        public Rect[] PackTextures(Texture2D[] textures, int padding, int maximumAtlasSize, bool makeNoLongerReadable) { throw null; }
        public void ReadPixels(Rect source, int destX, int destY) { throw null; }
        public void ReadPixels(Rect source, int destX, int destY, bool recalculateMipMaps) { throw null; }
        public bool Reinitialize(int width, int height) { throw null; }
        public bool Reinitialize(int width, int height, TextureFormat format, bool hasMipMap) { throw null; }
        [Obsolete] public bool Resize(int width, int height) { throw null; }
        [Obsolete] public bool Resize(int width, int height, TextureFormat format, bool hasMipMap) { throw null; }
        public void SetPixel(int x, int y, Color color) { throw null; }
        public void SetPixel(int x, int y, Color color, int mipLevel) { throw null; }
        public void SetPixelData<T>(T[] data, int mipLevel, int sourceDataStartIndex = 0) { throw null; }
        public void SetPixels(Color[] colors) { throw null; }
        public void SetPixels(Color[] colors, int miplevel) { throw null; }
        public void SetPixels(int x, int y, int blockWidth, int blockHeight, Color[] colors) { throw null; }
        public void SetPixels(int x, int y, int blockWidth, int blockHeight, Color[] colors, int miplevel) { throw null; }
        public void SetPixels32(Color32[] colors) { throw null; }
        public void SetPixels32(Color32[] colors, int miplevel) { throw null; }
        public void SetPixels32(int x, int y, int blockWidth, int blockHeight, Color32[] colors) { throw null; }
        public void SetPixels32(int x, int y, int blockWidth, int blockHeight, Color32[] colors, int miplevel) { throw null; }
        public void UpdateExternalTexture(IntPtr nativeTex) { throw null; }
        public int activeMipmapLimit { get { throw null; } }
        public bool alphaIsTransparency { get; set; }
        public static Texture2D blackTexture { get { throw null; } }
        public int calculatedMipmapLevel { get { throw null; } }
        public int desiredMipmapLevel { get { throw null; } }
        public TextureFormat format { get { throw null; } }
        public static Texture2D grayTexture { get { throw null; } }
        public bool ignoreMipmapLimit { get; set; }
        public override bool isReadable { get { throw null; } }
        public static Texture2D linearGrayTexture { get { throw null; } }
        public int loadedMipmapLevel { get { throw null; } }
        public int loadingMipmapLevel { get { throw null; } }
        public int minimumMipmapLevel { get; set; }
        public string mipmapLimitGroup { get { throw null; } }
        public static Texture2D normalTexture { get { throw null; } }
        public static Texture2D redTexture { get { throw null; } }
        public int requestedMipmapLevel { get; set; }
        public bool streamingMipmaps { get { throw null; } }
        public int streamingMipmapsPriority { get { throw null; } }
        public bool vtOnly { get { throw null; } }
        public static Texture2D whiteTexture { get { throw null; } }
    }

    public enum TextureFormat
    {
        ARGB32 = 5,
        ARGB4444 = 2,
        ASTC_10x10 = 52,
        ASTC_12x12 = 53,
        ASTC_4x4 = 48,
        ASTC_5x5 = 49,
        ASTC_6x6 = 50,
        ASTC_8x8 = 51,
        ASTC_HDR_10x10 = 70,
        ASTC_HDR_12x12 = 71,
        ASTC_HDR_4x4 = 66,
        ASTC_HDR_5x5 = 67,
        ASTC_HDR_6x6 = 68,
        ASTC_HDR_8x8 = 69,
        ASTC_RGBA_10x10 = -58,
        ASTC_RGBA_12x12 = -59,
        ASTC_RGBA_4x4 = -54,
        ASTC_RGBA_5x5 = -55,
        ASTC_RGBA_6x6 = -56,
        ASTC_RGBA_8x8 = -57,
        ASTC_RGB_10x10 = -52,
        ASTC_RGB_12x12 = -53,
        ASTC_RGB_4x4 = -48,
        ASTC_RGB_5x5 = -49,
        ASTC_RGB_6x6 = -50,
        ASTC_RGB_8x8 = -51,
        Alpha8 = 1,
        BC4 = 26,
        BC5 = 27,
        BC6H = 24,
        BC7 = 25,
        BGRA32 = 14,
        DXT1 = 10,
        DXT1Crunched = 28,
        DXT5 = 12,
        DXT5Crunched = 29,
        EAC_R = 41,
        EAC_RG = 43,
        EAC_RG_SIGNED = 44,
        EAC_R_SIGNED = 42,
        ETC2_RGB = 45,
        ETC2_RGBA1 = 46,
        ETC2_RGBA8 = 47,
        ETC2_RGBA8Crunched = 65,
        ETC_RGB4 = 34,
        ETC_RGB4Crunched = 64,
        ETC_RGB4_3DS = -60,
        ETC_RGBA8_3DS = -61,
        PVRTC_RGB2 = 30,
        PVRTC_RGB4 = 32,
        PVRTC_RGBA2 = 31,
        PVRTC_RGBA4 = 33,
        R16 = 9,
        R16_SIGNED = 79,
        R8 = 63,
        R8_SIGNED = 75,
        RFloat = 18,
        RG16 = 62,
        RG16_SIGNED = 76,
        RG32 = 72,
        RG32_SIGNED = 80,
        RGB24 = 3,
        RGB24_SIGNED = 77,
        RGB48 = 73,
        RGB48_SIGNED = 81,
        RGB565 = 7,
        RGB9e5Float = 22,
        RGBA32 = 4,
        RGBA32_SIGNED = 78,
        RGBA4444 = 13,
        RGBA64 = 74,
        RGBA64_SIGNED = 82,
        RGBAFloat = 20,
        RGBAHalf = 17,
        RGFloat = 19,
        RGHalf = 16,
        RHalf = 15,
        YUY2 = 21,
    }

    public class RenderTexture : Texture
    {
        protected internal RenderTexture() { throw null; }
        public RenderTexture(RenderTexture textureToCopy) { throw null; }
        public RenderTexture(int width, int height, int depth) { throw null; }
        public RenderTexture(int width, int height, int depth, RenderTextureFormat format) { throw null; }
        public RenderTexture(int width, int height, int depth, RenderTextureFormat format, RenderTextureReadWrite readWrite) { throw null; }
        public RenderTexture(int width, int height, int depth, RenderTextureFormat format, int mipCount) { throw null; }
        public void ApplyDynamicScale() { throw null; }
        public bool Create() { throw null; }
        public void DiscardContents(bool discardColor, bool discardDepth) { throw null; }
        public void DiscardContents() { throw null; }
        public void GenerateMips() { throw null; }
        public IntPtr GetNativeDepthBufferPtr() { throw null; }
        public static RenderTexture GetTemporary(int width, int height) { throw null; }
        public static RenderTexture GetTemporary(int width, int height, int depthBuffer) { throw null; }
        public static RenderTexture GetTemporary(int width, int height, int depthBuffer, RenderTextureFormat format) { throw null; }
        public static RenderTexture GetTemporary(int width, int height, int depthBuffer, RenderTextureFormat format, RenderTextureReadWrite readWrite) { throw null; }
        public static RenderTexture GetTemporary(int width, int height, int depthBuffer, RenderTextureFormat format, RenderTextureReadWrite readWrite, int antiAliasing) { throw null; }
        [Obsolete] public Vector2 GetTexelOffset() { throw null; }
        public bool IsCreated() { throw null; }
        [Obsolete] public void MarkRestoreExpected() { throw null; }
        public void Release() { throw null; }
        public static void ReleaseTemporary(RenderTexture temp) { throw null; }
        public void ResolveAntiAliasedSurface() { throw null; }
        public void ResolveAntiAliasedSurface(RenderTexture target) { throw null; }
        public void SetGlobalShaderProperty(string propertyName) { throw null; }
        public static bool SupportsStencil(RenderTexture rt) { throw null; }
        public static RenderTexture active { get; set; }
        public int antiAliasing { get; set; }
        public bool autoGenerateMips { get; set; }
        public bool bindTextureMS { get; set; }
        public int depth { get; set; }
        public bool enableRandomWrite { get; set; }
        [Obsolete] public static bool enabled { get; set; }
        public RenderTextureFormat format { get; set; }
        [Obsolete] public bool generateMips { get; set; }
        public override int height { get; set; }
        [Obsolete] public bool isCubemap { get; set; }
        public bool isPowerOfTwo { get; set; }
        [Obsolete] public bool isVolume { get; set; }
        public bool sRGB { get { throw null; } }
        public bool useDynamicScale { get; set; }
        public bool useDynamicScaleExplicit { get; set; }
        public bool useMipMap { get; set; }
        public int volumeDepth { get; set; }
        public override int width { get; set; }
    }

    public enum RenderTextureFormat
    {
        ARGB1555 = 6,
        ARGB2101010 = 8,
        ARGB32 = 0,
        ARGB4444 = 5,
        ARGB64 = 10,
        ARGBFloat = 11,
        ARGBHalf = 2,
        ARGBInt = 17,
        BGR101010_XR = 27,
        BGRA10101010_XR = 26,
        BGRA32 = 20,
        Default = 7,
        DefaultHDR = 9,
        Depth = 1,
        R16 = 28,
        R8 = 16,
        RFloat = 14,
        RG16 = 25,
        RG32 = 23,
        RGB111110Float = 22,
        RGB565 = 4,
        RGBAUShort = 24,
        RGFloat = 12,
        RGHalf = 13,
        RGInt = 18,
        RHalf = 15,
        RInt = 19,
        Shadowmap = 3,
    }

    public enum RenderTextureReadWrite
    {
        Default = 0,
        Linear = 1,
        sRGB = 2,
    }

    public enum FilterMode
    {
        Bilinear = 1,
        Point = 0,
        Trilinear = 2,
    }

    public enum TextureWrapMode
    {
        Clamp = 1,
        Mirror = 2,
        MirrorOnce = 3,
        Repeat = 0,
    }

    public class Material : Object
    {
        [Obsolete] public Material(string contents) { throw null; }
        public Material(Material source) { throw null; }
        public Material(Shader shader) { throw null; }
        public void ApplyPropertyOverride(Material destination, int nameID, bool recordUndo = true) { throw null; }
        public void ApplyPropertyOverride(Material destination, string name, bool recordUndo = true) { throw null; }
        public int ComputeCRC() { throw null; }
        public void CopyMatchingPropertiesFromMaterial(Material mat) { throw null; }
        public void CopyPropertiesFromMaterial(Material mat) { throw null; }
        [Obsolete] public static Material Create(string scriptContents) { throw null; }
        public void DisableKeyword(string keyword) { throw null; }
        public void EnableKeyword(string keyword) { throw null; }
        public int FindPass(string passName) { throw null; }
        public Color GetColor(int nameID) { throw null; }
        public Color GetColor(string name) { throw null; }
        public Color[] GetColorArray(int nameID) { throw null; }
        public Color[] GetColorArray(string name) { throw null; }
        public void GetColorArray(int nameID, List<Color> values) { throw null; }
        public void GetColorArray(string name, List<Color> values) { throw null; }
        public float GetFloat(int nameID) { throw null; }
        public float GetFloat(string name) { throw null; }
        public float[] GetFloatArray(int nameID) { throw null; }
        public float[] GetFloatArray(string name) { throw null; }
        public void GetFloatArray(int nameID, List<float> values) { throw null; }
        public void GetFloatArray(string name, List<float> values) { throw null; }
        public int GetInt(int nameID) { throw null; }
        public int GetInt(string name) { throw null; }
        public int GetInteger(int nameID) { throw null; }
        public int GetInteger(string name) { throw null; }
        public Matrix4x4 GetMatrix(int nameID) { throw null; }
        public Matrix4x4 GetMatrix(string name) { throw null; }
        public Matrix4x4[] GetMatrixArray(int nameID) { throw null; }
        public Matrix4x4[] GetMatrixArray(string name) { throw null; }
        public void GetMatrixArray(int nameID, List<Matrix4x4> values) { throw null; }
        public void GetMatrixArray(string name, List<Matrix4x4> values) { throw null; }
        public string GetPassName(int pass) { throw null; }
        public bool GetShaderPassEnabled(string passName) { throw null; }
        public string GetTag(string tag, bool searchFallbacks) { throw null; }
        public string GetTag(string tag, bool searchFallbacks, string defaultValue) { throw null; }
        public Texture GetTexture(int nameID) { throw null; }
        public Texture GetTexture(string name) { throw null; }
        public Vector2 GetTextureOffset(int nameID) { throw null; }
        public Vector2 GetTextureOffset(string name) { throw null; }
        public int[] GetTexturePropertyNameIDs() { throw null; }
        public void GetTexturePropertyNameIDs(List<int> outNames) { throw null; }
        public void GetTexturePropertyNames(List<string> outNames) { throw null; }
        public Vector2 GetTextureScale(int nameID) { throw null; }
        public Vector2 GetTextureScale(string name) { throw null; }
        public Vector4 GetVector(int nameID) { throw null; }
        public Vector4 GetVector(string name) { throw null; }
        public Vector4[] GetVectorArray(int nameID) { throw null; }
        public Vector4[] GetVectorArray(string name) { throw null; }
        public void GetVectorArray(int nameID, List<Vector4> values) { throw null; }
        public void GetVectorArray(string name, List<Vector4> values) { throw null; }
        public bool HasBuffer(int nameID) { throw null; }
        public bool HasBuffer(string name) { throw null; }
        public bool HasColor(int nameID) { throw null; }
        public bool HasColor(string name) { throw null; }
        public bool HasConstantBuffer(int nameID) { throw null; }
        public bool HasConstantBuffer(string name) { throw null; }
        public bool HasFloat(int nameID) { throw null; }
        public bool HasFloat(string name) { throw null; }
        public bool HasInt(int nameID) { throw null; }
        public bool HasInt(string name) { throw null; }
        public bool HasInteger(int nameID) { throw null; }
        public bool HasInteger(string name) { throw null; }
        public bool HasMatrix(int nameID) { throw null; }
        public bool HasMatrix(string name) { throw null; }
        public bool HasProperty(string name) { throw null; }
        public bool HasProperty(int nameID) { throw null; }
        public bool HasTexture(int nameID) { throw null; }
        public bool HasTexture(string name) { throw null; }
        public bool HasVector(int nameID) { throw null; }
        public bool HasVector(string name) { throw null; }
        public bool IsChildOf(Material ancestor) { throw null; }
        public bool IsKeywordEnabled(string keyword) { throw null; }
        public bool IsPropertyLocked(int nameID) { throw null; }
        public bool IsPropertyLocked(string name) { throw null; }
        public bool IsPropertyLockedByAncestor(int nameID) { throw null; }
        public bool IsPropertyLockedByAncestor(string name) { throw null; }
        public bool IsPropertyOverriden(int nameID) { throw null; }
        public bool IsPropertyOverriden(string name) { throw null; }
        public void Lerp(Material start, Material end, float t) { throw null; }
        public void RevertAllPropertyOverrides() { throw null; }
        public void RevertPropertyOverride(int nameID) { throw null; }
        public void RevertPropertyOverride(string name) { throw null; }
        public void SetColor(int nameID, Color value) { throw null; }
        public void SetColor(string name, Color value) { throw null; }
        public void SetColorArray(int nameID, Color[] values) { throw null; }
        public void SetColorArray(int nameID, List<Color> values) { throw null; }
        public void SetColorArray(string name, Color[] values) { throw null; }
        public void SetColorArray(string name, List<Color> values) { throw null; }
        public void SetFloat(int nameID, float value) { throw null; }
        public void SetFloat(string name, float value) { throw null; }
        public void SetFloatArray(int nameID, List<float> values) { throw null; }
        public void SetFloatArray(int nameID, float[] values) { throw null; }
        public void SetFloatArray(string name, List<float> values) { throw null; }
        public void SetFloatArray(string name, float[] values) { throw null; }
        public void SetInt(int nameID, int value) { throw null; }
        public void SetInt(string name, int value) { throw null; }
        public void SetInteger(int nameID, int value) { throw null; }
        public void SetInteger(string name, int value) { throw null; }
        public void SetMatrix(int nameID, Matrix4x4 value) { throw null; }
        public void SetMatrix(string name, Matrix4x4 value) { throw null; }
        public void SetMatrixArray(int nameID, List<Matrix4x4> values) { throw null; }
        public void SetMatrixArray(int nameID, Matrix4x4[] values) { throw null; }
        public void SetMatrixArray(string name, List<Matrix4x4> values) { throw null; }
        public void SetMatrixArray(string name, Matrix4x4[] values) { throw null; }
        public void SetOverrideTag(string tag, string val) { throw null; }
        public bool SetPass(int pass) { throw null; }
        public void SetPropertyLock(int nameID, bool value) { throw null; }
        public void SetPropertyLock(string name, bool value) { throw null; }
        public void SetShaderPassEnabled(string passName, bool enabled) { throw null; }
        public void SetTexture(int nameID, Texture value) { throw null; }
        public void SetTexture(string name, Texture value) { throw null; }
        public void SetTextureOffset(int nameID, Vector2 value) { throw null; }
        public void SetTextureOffset(string name, Vector2 value) { throw null; }
        public void SetTextureScale(int nameID, Vector2 value) { throw null; }
        public void SetTextureScale(string name, Vector2 value) { throw null; }
        public void SetVector(int nameID, Vector4 value) { throw null; }
        public void SetVector(string name, Vector4 value) { throw null; }
        public void SetVectorArray(int nameID, List<Vector4> values) { throw null; }
        public void SetVectorArray(int nameID, Vector4[] values) { throw null; }
        public void SetVectorArray(string name, List<Vector4> values) { throw null; }
        public void SetVectorArray(string name, Vector4[] values) { throw null; }
        public Color color { get; set; }
        public bool doubleSidedGI { get; set; }
        public bool enableInstancing { get; set; }
        public bool isVariant { get { throw null; } }
        public Texture mainTexture { get; set; }
        public Vector2 mainTextureOffset { get; set; }
        public Vector2 mainTextureScale { get; set; }
        public Material parent { get; set; }
        public int passCount { get { throw null; } }
        public int rawRenderQueue { get { throw null; } }
        public int renderQueue { get; set; }
        public Shader shader { get; set; }
        public string[] shaderKeywords { get; set; }
    }

    public sealed class Shader : Object
    {
        Shader() { }
        public static void DisableKeyword(string keyword) { throw null; }
        public static void EnableKeyword(string keyword) { throw null; }
        public static Shader Find(string name) { throw null; }
        public int FindPropertyIndex(string propertyName) { throw null; }
        public bool FindTextureStack(int propertyIndex, out string stackName, out int layerIndex) { throw null; }
        public Shader GetDependency(string name) { throw null; }
        public static Color GetGlobalColor(int nameID) { throw null; }
        public static Color GetGlobalColor(string name) { throw null; }
        public static float GetGlobalFloat(int nameID) { throw null; }
        public static float GetGlobalFloat(string name) { throw null; }
        public static float[] GetGlobalFloatArray(int nameID) { throw null; }
        public static float[] GetGlobalFloatArray(string name) { throw null; }
        public static void GetGlobalFloatArray(int nameID, List<float> values) { throw null; }
        public static void GetGlobalFloatArray(string name, List<float> values) { throw null; }
        public static int GetGlobalInt(int nameID) { throw null; }
        public static int GetGlobalInt(string name) { throw null; }
        public static int GetGlobalInteger(int nameID) { throw null; }
        public static int GetGlobalInteger(string name) { throw null; }
        public static Matrix4x4 GetGlobalMatrix(int nameID) { throw null; }
        public static Matrix4x4 GetGlobalMatrix(string name) { throw null; }
        public static Matrix4x4[] GetGlobalMatrixArray(int nameID) { throw null; }
        public static Matrix4x4[] GetGlobalMatrixArray(string name) { throw null; }
        public static void GetGlobalMatrixArray(int nameID, List<Matrix4x4> values) { throw null; }
        public static void GetGlobalMatrixArray(string name, List<Matrix4x4> values) { throw null; }
        public static Texture GetGlobalTexture(int nameID) { throw null; }
        public static Texture GetGlobalTexture(string name) { throw null; }
        public static Vector4 GetGlobalVector(int nameID) { throw null; }
        public static Vector4 GetGlobalVector(string name) { throw null; }
        public static Vector4[] GetGlobalVectorArray(int nameID) { throw null; }
        public static Vector4[] GetGlobalVectorArray(string name) { throw null; }
        public static void GetGlobalVectorArray(int nameID, List<Vector4> values) { throw null; }
        public static void GetGlobalVectorArray(string name, List<Vector4> values) { throw null; }
        public int GetPassCountInSubshader(int subshaderIndex) { throw null; }
        public string[] GetPropertyAttributes(int propertyIndex) { throw null; }
        public int GetPropertyCount() { throw null; }
        public float GetPropertyDefaultFloatValue(int propertyIndex) { throw null; }
        public int GetPropertyDefaultIntValue(int propertyIndex) { throw null; }
        public Vector4 GetPropertyDefaultVectorValue(int propertyIndex) { throw null; }
        public string GetPropertyDescription(int propertyIndex) { throw null; }
        public string GetPropertyName(int propertyIndex) { throw null; }
        public int GetPropertyNameId(int propertyIndex) { throw null; }
        public Vector2 GetPropertyRangeLimits(int propertyIndex) { throw null; }
        public string GetPropertyTextureDefaultName(int propertyIndex) { throw null; }
        public static bool IsKeywordEnabled(string keyword) { throw null; }
        public static int PropertyToID(string name) { throw null; }
        public static void SetGlobalColor(int nameID, Color value) { throw null; }
        public static void SetGlobalColor(string name, Color value) { throw null; }
        public static void SetGlobalFloat(int nameID, float value) { throw null; }
        public static void SetGlobalFloat(string name, float value) { throw null; }
        public static void SetGlobalFloatArray(int nameID, List<float> values) { throw null; }
        public static void SetGlobalFloatArray(int nameID, float[] values) { throw null; }
        public static void SetGlobalFloatArray(string name, List<float> values) { throw null; }
        public static void SetGlobalFloatArray(string name, float[] values) { throw null; }
        public static void SetGlobalInt(int nameID, int value) { throw null; }
        public static void SetGlobalInt(string name, int value) { throw null; }
        public static void SetGlobalInteger(int nameID, int value) { throw null; }
        public static void SetGlobalInteger(string name, int value) { throw null; }
        public static void SetGlobalMatrix(int nameID, Matrix4x4 value) { throw null; }
        public static void SetGlobalMatrix(string name, Matrix4x4 value) { throw null; }
        public static void SetGlobalMatrixArray(int nameID, List<Matrix4x4> values) { throw null; }
        public static void SetGlobalMatrixArray(int nameID, Matrix4x4[] values) { throw null; }
        public static void SetGlobalMatrixArray(string name, List<Matrix4x4> values) { throw null; }
        public static void SetGlobalMatrixArray(string name, Matrix4x4[] values) { throw null; }
        public static void SetGlobalTexture(int nameID, Texture value) { throw null; }
        public static void SetGlobalTexture(string name, Texture value) { throw null; }
        public static void SetGlobalVector(int nameID, Vector4 value) { throw null; }
        public static void SetGlobalVector(string name, Vector4 value) { throw null; }
        public static void SetGlobalVectorArray(int nameID, List<Vector4> values) { throw null; }
        public static void SetGlobalVectorArray(int nameID, Vector4[] values) { throw null; }
        public static void SetGlobalVectorArray(string name, List<Vector4> values) { throw null; }
        public static void SetGlobalVectorArray(string name, Vector4[] values) { throw null; }
        public static void WarmupAllShaders() { throw null; }
        public static int globalMaximumLOD { get; set; }
        public static string globalRenderPipeline { get; set; }
        public bool isSupported { get { throw null; } }
        public static int maximumChunksOverride { get; set; }
        public int maximumLOD { get; set; }
        public int passCount { get { throw null; } }
        public int renderQueue { get { throw null; } }
        public int subshaderCount { get { throw null; } }
    }

    public class Renderer : Component
    {
        public void GetMaterials(List<Material> m) { throw null; }
        public void GetSharedMaterials(List<Material> m) { throw null; }
        public bool HasPropertyBlock() { throw null; }
        public void ResetBounds() { throw null; }
        public void ResetLocalBounds() { throw null; }
        public void SetMaterials(List<Material> materials) { throw null; }
        public void SetSharedMaterials(List<Material> materials) { throw null; }
        public bool allowOcclusionWhenDynamic { get; set; }
        public Bounds bounds { get; set; }
        [Obsolete] public bool castShadows { get; set; }
        public bool enabled { get; set; }
        public bool forceRenderingOff { get; set; }
        public bool isLOD0 { get { throw null; } }
        public bool isPartOfStaticBatch { get { throw null; } }
        public bool isVisible { get { throw null; } }
        public GameObject lightProbeProxyVolumeOverride { get; set; }
        public int lightmapIndex { get; set; }
        public Vector4 lightmapScaleOffset { get; set; }
        public Bounds localBounds { get; set; }
        public Matrix4x4 localToWorldMatrix { get { throw null; } }
        public Material material { get; set; }
        public Material[] materials { get; set; }
        [Obsolete] public bool motionVectors { get; set; }
        public Transform probeAnchor { get; set; }
        public bool rayTracingAccelerationStructureBuildFlagsOverride { get; set; }
        public int realtimeLightmapIndex { get; set; }
        public Vector4 realtimeLightmapScaleOffset { get; set; }
        public bool receiveShadows { get; set; }
        public int rendererPriority { get; set; }
        public Material sharedMaterial { get; set; }
        public Material[] sharedMaterials { get; set; }
        public int sortingLayerID { get; set; }
        public string sortingLayerName { get; set; }
        public int sortingOrder { get; set; }
        public bool staticShadowCaster { get; set; }
        [Obsolete] public bool useLightProbes { get; set; }
        public Matrix4x4 worldToLocalMatrix { get { throw null; } }
    }

    public class MeshRenderer : Renderer
    {
        public Mesh additionalVertexStreams { get; set; }
        public Mesh enlightenVertexStream { get; set; }
        public float scaleInLightmap { get; set; }
        public bool stitchLightmapSeams { get; set; }
        public int subMeshStartIndex { get { throw null; } }
    }

    public sealed class MeshFilter : Component
    {
        public Mesh mesh { get; set; }
        public Mesh sharedMesh { get; set; }
    }

    public sealed class Mesh : Object
    {
        public void AddBlendShapeFrame(string shapeName, float frameWeight, Vector3[] deltaVertices, Vector3[] deltaNormals, Vector3[] deltaTangents) { throw null; }
        public void Clear() { throw null; }
        public void Clear(bool keepVertexLayout) { throw null; }
        public void ClearBlendShapes() { throw null; }
        public void GetBindposes(List<Matrix4x4> bindposes) { throw null; }
        public int GetBlendShapeFrameCount(int shapeIndex) { throw null; }
        public void GetBlendShapeFrameVertices(int shapeIndex, int frameIndex, Vector3[] deltaVertices, Vector3[] deltaNormals, Vector3[] deltaTangents) { throw null; }
        public float GetBlendShapeFrameWeight(int shapeIndex, int frameIndex) { throw null; }
        public int GetBlendShapeIndex(string blendShapeName) { throw null; }
        public string GetBlendShapeName(int shapeIndex) { throw null; }
        public void GetColors(List<Color32> colors) { throw null; }
        public void GetColors(List<Color> colors) { throw null; }
        public int[] GetIndices(int submesh) { throw null; }
        public int[] GetIndices(int submesh, bool applyBaseVertex) { throw null; }
        public void GetIndices(List<int> indices, int submesh) { throw null; }
        public void GetIndices(List<int> indices, int submesh, bool applyBaseVertex) { throw null; }
        public void GetIndices(List<ushort> indices, int submesh, bool applyBaseVertex = true) { throw null; }
        public IntPtr GetNativeIndexBufferPtr() { throw null; }
        public IntPtr GetNativeVertexBufferPtr(int index) { throw null; }
        public void GetNormals(List<Vector3> normals) { throw null; }
        public void GetTangents(List<Vector4> tangents) { throw null; }
        public int[] GetTriangles(int submesh) { throw null; }
        public int[] GetTriangles(int submesh, bool applyBaseVertex) { throw null; }
        public void GetTriangles(List<int> triangles, int submesh) { throw null; }
        public void GetTriangles(List<int> triangles, int submesh, bool applyBaseVertex) { throw null; }
        public void GetTriangles(List<ushort> triangles, int submesh, bool applyBaseVertex = true) { throw null; }
        public float GetUVDistributionMetric(int uvSetIndex) { throw null; }
        public void GetUVs(int channel, List<Vector2> uvs) { throw null; }
        public void GetUVs(int channel, List<Vector3> uvs) { throw null; }
        public void GetUVs(int channel, List<Vector4> uvs) { throw null; }
        public int GetVertexBufferStride(int stream) { throw null; }
        public void GetVertices(List<Vector3> vertices) { throw null; }
        public void MarkDynamic() { throw null; }
        public void MarkModified() { throw null; }
        public void Optimize() { throw null; }
        public void OptimizeIndexBuffers() { throw null; }
        public void OptimizeReorderVertexBuffer() { throw null; }
        public void RecalculateBounds() { throw null; }
        public void RecalculateNormals() { throw null; }
        public void RecalculateTangents() { throw null; }
        public void RecalculateUVDistributionMetric(int uvSetIndex, float uvAreaThreshold = 1e-9f) { throw null; }
        public void RecalculateUVDistributionMetrics(float uvAreaThreshold = 1e-9f) { throw null; }
        public void SetColors(Color32[] inColors) { throw null; }
        public void SetColors(Color32[] inColors, int start, int length) { throw null; }
        public void SetColors(Color[] inColors) { throw null; }
        public void SetColors(Color[] inColors, int start, int length) { throw null; }
        public void SetColors(List<Color32> inColors) { throw null; }
        public void SetColors(List<Color32> inColors, int start, int length) { throw null; }
        public void SetColors(List<Color> inColors) { throw null; }
        public void SetColors(List<Color> inColors, int start, int length) { throw null; }
        public void SetNormals(List<Vector3> inNormals) { throw null; }
        public void SetNormals(List<Vector3> inNormals, int start, int length) { throw null; }
        public void SetNormals(Vector3[] inNormals) { throw null; }
        public void SetNormals(Vector3[] inNormals, int start, int length) { throw null; }
        public void SetTangents(List<Vector4> inTangents) { throw null; }
        public void SetTangents(List<Vector4> inTangents, int start, int length) { throw null; }
        public void SetTangents(Vector4[] inTangents) { throw null; }
        public void SetTangents(Vector4[] inTangents, int start, int length) { throw null; }
        public void SetTriangles(List<int> triangles, int submesh) { throw null; }
        public void SetTriangles(List<int> triangles, int submesh, bool calculateBounds) { throw null; }
        public void SetTriangles(List<int> triangles, int submesh, bool calculateBounds, int baseVertex) { throw null; }
        public void SetTriangles(List<int> triangles, int trianglesStart, int trianglesLength, int submesh, bool calculateBounds = true, int baseVertex = 0) { throw null; }
        public void SetTriangles(List<ushort> triangles, int submesh, bool calculateBounds = true, int baseVertex = 0) { throw null; }
        public void SetTriangles(List<ushort> triangles, int trianglesStart, int trianglesLength, int submesh, bool calculateBounds = true, int baseVertex = 0) { throw null; }
        public void SetTriangles(int[] triangles, int submesh) { throw null; }
        public void SetTriangles(int[] triangles, int submesh, bool calculateBounds) { throw null; }
        public void SetTriangles(int[] triangles, int submesh, bool calculateBounds, int baseVertex) { throw null; }
        public void SetTriangles(int[] triangles, int trianglesStart, int trianglesLength, int submesh, bool calculateBounds = true, int baseVertex = 0) { throw null; }
        public void SetTriangles(ushort[] triangles, int submesh, bool calculateBounds = true, int baseVertex = 0) { throw null; }
        public void SetTriangles(ushort[] triangles, int trianglesStart, int trianglesLength, int submesh, bool calculateBounds = true, int baseVertex = 0) { throw null; }
        public void SetUVs(int channel, List<Vector2> uvs) { throw null; }
        public void SetUVs(int channel, List<Vector2> uvs, int start, int length) { throw null; }
        public void SetUVs(int channel, List<Vector3> uvs) { throw null; }
        public void SetUVs(int channel, List<Vector3> uvs, int start, int length) { throw null; }
        public void SetUVs(int channel, List<Vector4> uvs) { throw null; }
        public void SetUVs(int channel, List<Vector4> uvs, int start, int length) { throw null; }
        public void SetUVs(int channel, Vector2[] uvs) { throw null; }
        public void SetUVs(int channel, Vector2[] uvs, int start, int length) { throw null; }
        public void SetUVs(int channel, Vector3[] uvs) { throw null; }
        public void SetUVs(int channel, Vector3[] uvs, int start, int length) { throw null; }
        public void SetUVs(int channel, Vector4[] uvs) { throw null; }
        public void SetUVs(int channel, Vector4[] uvs, int start, int length) { throw null; }
        public void SetVertices(List<Vector3> inVertices) { throw null; }
        public void SetVertices(List<Vector3> inVertices, int start, int length) { throw null; }
        public void SetVertices(Vector3[] inVertices) { throw null; }
        public void SetVertices(Vector3[] inVertices, int start, int length) { throw null; }
        public void UploadMeshData(bool markNoLongerReadable) { throw null; }
        public int bindposeCount { get { throw null; } }
        public Matrix4x4[] bindposes { get; set; }
        public int blendShapeCount { get { throw null; } }
        public Bounds bounds { get; set; }
        public Color[] colors { get; set; }
        public Color32[] colors32 { get; set; }
        public bool isReadable { get { throw null; } }
        public Vector3[] normals { get; set; }
        public int subMeshCount { get; set; }
        public Vector4[] tangents { get; set; }
        public int[] triangles { get; set; }
        public Vector2[] uv { get; set; }
        public Vector2[] uv2 { get; set; }
        public Vector2[] uv3 { get; set; }
        public Vector2[] uv4 { get; set; }
        public Vector2[] uv5 { get; set; }
        public Vector2[] uv6 { get; set; }
        public Vector2[] uv7 { get; set; }
        public Vector2[] uv8 { get; set; }
        public int vertexAttributeCount { get { throw null; } }
        public int vertexBufferCount { get { throw null; } }
        public int vertexCount { get { throw null; } }
        public Vector3[] vertices { get; set; }
    }

    public sealed class Light : Behaviour
    {
        [Obsolete] public static Light[] GetLights(LightType type, int layer) { throw null; }
        public void RemoveAllCommandBuffers() { throw null; }
        public void Reset() { throw null; }
        public void SetLightDirty() { throw null; }
        [Obsolete] public bool alreadyLightmapped { get; set; }
        public Vector2 areaSize { get; set; }
        public float bounceIntensity { get; set; }
        public Vector4 boundingSphereOverride { get; set; }
        public Color color { get; set; }
        public float colorTemperature { get; set; }
        public int commandBufferCount { get { throw null; } }
        public Texture cookie { get; set; }
        public float cookieSize { get; set; }
        public int cullingMask { get; set; }
        public float dilatedRange { get { throw null; } }
        public bool enableSpotReflector { get; set; }
        public bool forceVisible { get; set; }
        public float innerSpotAngle { get; set; }
        public float intensity { get; set; }
        [Obsolete] public bool isBaked { get { throw null; } }
        public float[] layerShadowCullDistances { get; set; }
        public float luxAtDistance { get; set; }
        [Obsolete] public static int pixelLightCount { get; set; }
        public float range { get; set; }
        public int renderingLayerMask { get; set; }
        public float shadowAngle { get; set; }
        public float shadowBias { get; set; }
        public int shadowCustomResolution { get; set; }
        public Matrix4x4 shadowMatrixOverride { get; set; }
        public float shadowNearPlane { get; set; }
        public float shadowNormalBias { get; set; }
        public float shadowRadius { get; set; }
        public float shadowStrength { get; set; }
        public LightShadows shadows { get; set; }
        public float spotAngle { get; set; }
        public LightType type { get; set; }
        public bool useBoundingSphereOverride { get; set; }
        public bool useColorTemperature { get; set; }
        public bool useShadowMatrixOverride { get; set; }
        public bool useViewFrustumForShadowCasterCull { get; set; }
    }

    public enum LightType
    {
        Area = 3,
        Box = 6,
        Directional = 1,
        Disc = 4,
        Point = 2,
        Pyramid = 5,
        Rectangle = 3,
        Spot = 0,
        Tube = 7,
    }

    public enum LightShadows
    {
        Hard = 1,
        None = 0,
        Soft = 2,
    }

    public sealed class LineRenderer : Renderer
    {
        public void BakeMesh(Mesh mesh, Camera camera, bool useTransform = false) { throw null; }
        public void BakeMesh(Mesh mesh, bool useTransform = false) { throw null; }
        public Vector3 GetPosition(int index) { throw null; }
        public int GetPositions(Vector3[] positions) { throw null; }
        [Obsolete] public void SetColors(Color start, Color end) { throw null; }
        public void SetPosition(int index, Vector3 position) { throw null; }
        public void SetPositions(Vector3[] positions) { throw null; }
        [Obsolete] public void SetVertexCount(int count) { throw null; }
        [Obsolete] public void SetWidth(float start, float end) { throw null; }
        public void Simplify(float tolerance) { throw null; }
        public Color endColor { get; set; }
        public float endWidth { get; set; }
        public bool generateLightingData { get; set; }
        public bool loop { get; set; }
        public int numCapVertices { get; set; }
        public int numCornerVertices { get; set; }
        [Obsolete] public int numPositions { get; set; }
        public int positionCount { get; set; }
        public float shadowBias { get; set; }
        public Color startColor { get; set; }
        public float startWidth { get; set; }
        public Vector2 textureScale { get; set; }
        public bool useWorldSpace { get; set; }
        public float widthMultiplier { get; set; }
    }

    public sealed class Gizmos
    {
        public static float CalculateLOD(Vector3 position, float radius) { throw null; }
        public static void DrawCube(Vector3 center, Vector3 size) { throw null; }
        public static void DrawFrustum(Vector3 center, float fov, float maxRange, float minRange, float aspect) { throw null; }
        public static void DrawGUITexture(Rect screenRect, Texture texture, int leftBorder, int rightBorder, int topBorder, int bottomBorder, Material mat) { throw null; }
        public static void DrawGUITexture(Rect screenRect, Texture texture) { throw null; }
        public static void DrawGUITexture(Rect screenRect, Texture texture, Material mat) { throw null; }
        public static void DrawGUITexture(Rect screenRect, Texture texture, int leftBorder, int rightBorder, int topBorder, int bottomBorder) { throw null; }
        public static void DrawIcon(Vector3 center, string name, bool allowScaling, Color tint) { throw null; }
        public static void DrawIcon(Vector3 center, string name) { throw null; }
        public static void DrawIcon(Vector3 center, string name, bool allowScaling) { throw null; }
        public static void DrawLine(Vector3 from, Vector3 to) { throw null; }
        public static void DrawMesh(Mesh mesh, int submeshIndex, Vector3 position, Quaternion rotation, Vector3 scale) { throw null; }
        public static void DrawMesh(Mesh mesh) { throw null; }
        public static void DrawMesh(Mesh mesh, Vector3 position) { throw null; }
        public static void DrawMesh(Mesh mesh, Vector3 position, Quaternion rotation) { throw null; }
        public static void DrawMesh(Mesh mesh, Vector3 position, Quaternion rotation, Vector3 scale) { throw null; }
        public static void DrawMesh(Mesh mesh, int submeshIndex) { throw null; }
        public static void DrawMesh(Mesh mesh, int submeshIndex, Vector3 position) { throw null; }
        public static void DrawMesh(Mesh mesh, int submeshIndex, Vector3 position, Quaternion rotation) { throw null; }
        public static void DrawRay(Ray r) { throw null; }
        public static void DrawRay(Vector3 from, Vector3 direction) { throw null; }
        public static void DrawSphere(Vector3 center, float radius) { throw null; }
        public static void DrawWireCube(Vector3 center, Vector3 size) { throw null; }
        public static void DrawWireMesh(Mesh mesh, int submeshIndex, Vector3 position, Quaternion rotation, Vector3 scale) { throw null; }
        public static void DrawWireMesh(Mesh mesh) { throw null; }
        public static void DrawWireMesh(Mesh mesh, Vector3 position) { throw null; }
        public static void DrawWireMesh(Mesh mesh, Vector3 position, Quaternion rotation) { throw null; }
        public static void DrawWireMesh(Mesh mesh, Vector3 position, Quaternion rotation, Vector3 scale) { throw null; }
        public static void DrawWireMesh(Mesh mesh, int submeshIndex) { throw null; }
        public static void DrawWireMesh(Mesh mesh, int submeshIndex, Vector3 position) { throw null; }
        public static void DrawWireMesh(Mesh mesh, int submeshIndex, Vector3 position, Quaternion rotation) { throw null; }
        public static void DrawWireSphere(Vector3 center, float radius) { throw null; }
        public static Color color { get; set; }
        public static Texture exposure { get; set; }
        public static Matrix4x4 matrix { get; set; }
        public static float probeSize { get { throw null; } }
    }
}
