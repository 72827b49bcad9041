// Compile-only stubs of Unity's immediate-mode GUI as of Unity 6000.0 (UnityEngine.IMGUIModule, with Font from
// UnityEngine.TextRenderingModule): GUI, GUILayout, GUIStyle, GUIContent, GUISkin. Signatures checked against
// Unity's C# reference source (Unity-Technologies/UnityCsReference, tag 6000.0.23f1, Modules/IMGUI/*.cs);
// our own declarations, bodies throw. Windows and scopes (GUI.Window, GUI.Scope) are not modelled.
#pragma warning disable 0618
using System;
using System.Collections;
using System.Collections.Generic;

namespace UnityEngine
{
    public enum TextAnchor
    {
        LowerCenter = 7,
        LowerLeft = 6,
        LowerRight = 8,
        MiddleCenter = 4,
        MiddleLeft = 3,
        MiddleRight = 5,
        UpperCenter = 1,
        UpperLeft = 0,
        UpperRight = 2,
    }

    public enum FontStyle
    {
        Bold = 1,
        BoldAndItalic = 3,
        Italic = 2,
        Normal = 0,
    }

    public enum TextClipping
    {
        Clip = 1,
        Ellipsis = 2,
        Overflow = 0,
    }

    public enum ImagePosition
    {
        ImageAbove = 1,
        ImageLeft = 0,
        ImageOnly = 2,
        TextOnly = 3,
    }

    public enum ScaleMode
    {
        ScaleAndCrop = 1,
        ScaleToFit = 2,
        StretchToFill = 0,
    }

    public class RectOffset : IFormattable
    {
        public RectOffset() { throw null; }
        public RectOffset(int left, int right, int top, int bottom) { throw null; }
        public Rect Add(Rect rect) { throw null; }
        public Rect Remove(Rect rect) { throw null; }
        public override string ToString() { throw null; }
        public string ToString(string format) { throw null; }
        public string ToString(string format, IFormatProvider formatProvider) { throw null; }
        public int bottom { get; set; }
        public int horizontal { get { throw null; } }
        public int left { get; set; }
        public int right { get; set; }
        public int top { get; set; }
        public int vertical { get { throw null; } }
    }

    public class GUIContent
    {
        public GUIContent() { throw null; }
        public GUIContent(GUIContent src) { throw null; }
        public GUIContent(Texture image) { throw null; }
        public GUIContent(Texture image, string tooltip) { throw null; }
        public GUIContent(string text) { throw null; }
        public GUIContent(string text, Texture image) { throw null; }
        public GUIContent(string text, Texture image, string tooltip) { throw null; }
        public GUIContent(string text, string tooltip) { throw null; }
        public static GUIContent none;
        public override string ToString() { throw null; }
        public Texture image { get; set; }
        public string text { get; set; }
        public string tooltip { get; set; }
    }

    public sealed class GUIStyleState
    {
        public Texture2D background { get; set; }
        public Texture2D[] scaledBackgrounds { get; set; }
        public Color textColor { get; set; }
    }

    public sealed class GUIStyle
    {
        public GUIStyle() { throw null; }
        public GUIStyle(GUIStyle other) { throw null; }
        public float CalcHeight(GUIContent content, float width) { throw null; }
        public void CalcMinMaxWidth(GUIContent content, out float minWidth, out float maxWidth) { throw null; }
        public Vector2 CalcScreenSize(Vector2 contentSize) { throw null; }
        public Vector2 CalcSize(GUIContent content) { throw null; }
        public void Draw(Rect position, GUIContent content, bool isHover, bool isActive, bool on, bool hasKeyboardFocus) { throw null; }
        public void Draw(Rect position, GUIContent content, int controlID) { throw null; }
        public void Draw(Rect position, GUIContent content, int controlID, bool on) { throw null; }
        public void Draw(Rect position, GUIContent content, int controlID, bool on, bool hover) { throw null; }
        public void Draw(Rect position, Texture image, bool isHover, bool isActive, bool on, bool hasKeyboardFocus) { throw null; }
        public void Draw(Rect position, bool isHover, bool isActive, bool on, bool hasKeyboardFocus) { throw null; }
        public void Draw(Rect position, string text, bool isHover, bool isActive, bool on, bool hasKeyboardFocus) { throw null; }
        public void DrawCursor(Rect position, GUIContent content, int controlID, int character) { throw null; }
        public void DrawWithTextSelection(Rect position, GUIContent content, int controlID, int firstSelectedCharacter, int lastSelectedCharacter) { throw null; }
        public Vector2 GetCursorPixelPosition(Rect position, GUIContent content, int cursorStringIndex) { throw null; }
        public int GetCursorStringIndex(Rect position, GUIContent content, Vector2 cursorPixelPosition) { throw null; }
        public override string ToString() { throw null; }
        public static implicit operator GUIStyle(string str) { throw null; }
        public GUIStyleState active { get; set; }
        public TextAnchor alignment { get; set; }
        public RectOffset border { get; set; }
        [Obsolete] public Vector2 clipOffset { get; set; }
        public TextClipping clipping { get; set; }
        public Vector2 contentOffset { get; set; }
        public float fixedHeight { get; set; }
        public float fixedWidth { get; set; }
        public GUIStyleState focused { get; set; }
        public Font font { get; set; }
        public int fontSize { get; set; }
        public FontStyle fontStyle { get; set; }
        public GUIStyleState hover { get; set; }
        public ImagePosition imagePosition { get; set; }
        public bool isHeightDependantOnWidth { get { throw null; } }
        public float lineHeight { get { throw null; } }
        public RectOffset margin { get; set; }
        public string name { get; set; }
        public static GUIStyle none { get { throw null; } }
        public GUIStyleState normal { get; set; }
        public GUIStyleState onActive { get; set; }
        public GUIStyleState onFocused { get; set; }
        public GUIStyleState onHover { get; set; }
        public GUIStyleState onNormal { get; set; }
        public RectOffset overflow { get; set; }
        public RectOffset padding { get; set; }
        public bool richText { get; set; }
        public bool stretchHeight { get; set; }
        public bool stretchWidth { get; set; }
        public bool wordWrap { get; set; }
    }

    public sealed class GUILayoutOption
    {
        GUILayoutOption() { }
    }

    public sealed class GUISkin : ScriptableObject
    {
        public GUIStyle FindStyle(string styleName) { throw null; }
        public IEnumerator GetEnumerator() { throw null; }
        public GUIStyle GetStyle(string styleName) { throw null; }
        public GUIStyle box { get; set; }
        public GUIStyle button { get; set; }
        public GUIStyle[] customStyles { get; set; }
        public Font font { get; set; }
        public GUIStyle horizontalScrollbar { get; set; }
        public GUIStyle horizontalScrollbarLeftButton { get; set; }
        public GUIStyle horizontalScrollbarRightButton { get; set; }
        public GUIStyle horizontalScrollbarThumb { get; set; }
        public GUIStyle horizontalSlider { get; set; }
        public GUIStyle horizontalSliderThumb { get; set; }
        public GUIStyle label { get; set; }
        public GUIStyle scrollView { get; set; }
        public GUIStyle textArea { get; set; }
        public GUIStyle textField { get; set; }
        public GUIStyle toggle { get; set; }
        public GUIStyle verticalScrollbar { get; set; }
        public GUIStyle verticalScrollbarDownButton { get; set; }
        public GUIStyle verticalScrollbarThumb { get; set; }
        public GUIStyle verticalScrollbarUpButton { get; set; }
        public GUIStyle verticalSlider { get; set; }
        public GUIStyle verticalSliderThumb { get; set; }
        public GUIStyle window { get; set; }
    }

    public class GUI
    {
        public static void BeginClip(Rect position) { throw null; }
        public static void BeginClip(Rect position, Vector2 scrollOffset, Vector2 renderOffset, bool resetOffset) { throw null; }
        public static void BeginGroup(Rect position) { throw null; }
        public static void BeginGroup(Rect position, GUIContent content) { throw null; }
        public static void BeginGroup(Rect position, GUIContent content, GUIStyle style) { throw null; }
        public static void BeginGroup(Rect position, GUIStyle style) { throw null; }
        public static void BeginGroup(Rect position, Texture image) { throw null; }
        public static void BeginGroup(Rect position, Texture image, GUIStyle style) { throw null; }
        public static void BeginGroup(Rect position, string text) { throw null; }
        public static void BeginGroup(Rect position, string text, GUIStyle style) { throw null; }
        public static Vector2 BeginScrollView(Rect position, Vector2 scrollPosition, Rect viewRect) { throw null; }
        public static Vector2 BeginScrollView(Rect position, Vector2 scrollPosition, Rect viewRect, GUIStyle horizontalScrollbar, GUIStyle verticalScrollbar) { throw null; }
        public static Vector2 BeginScrollView(Rect position, Vector2 scrollPosition, Rect viewRect, bool alwaysShowHorizontal, bool alwaysShowVertical) { throw null; }
        public static Vector2 BeginScrollView(Rect position, Vector2 scrollPosition, Rect viewRect, bool alwaysShowHorizontal, bool alwaysShowVertical, GUIStyle horizontalScrollbar, GUIStyle verticalScrollbar) { throw null; }
        public static void Box(Rect position, GUIContent content) { throw null; }
        public static void Box(Rect position, GUIContent content, GUIStyle style) { throw null; }
        public static void Box(Rect position, Texture image) { throw null; }
        public static void Box(Rect position, Texture image, GUIStyle style) { throw null; }
        public static void Box(Rect position, string text) { throw null; }
        public static void Box(Rect position, string text, GUIStyle style) { throw null; }
        public static void BringWindowToBack(int windowID) { throw null; }
        public static void BringWindowToFront(int windowID) { throw null; }
        public static bool Button(Rect position, GUIContent content) { throw null; }
        public static bool Button(Rect position, GUIContent content, GUIStyle style) { throw null; }
        public static bool Button(Rect position, Texture image) { throw null; }
        public static bool Button(Rect position, Texture image, GUIStyle style) { throw null; }
        public static bool Button(Rect position, string text) { throw null; }
        public static bool Button(Rect position, string text, GUIStyle style) { throw null; }
        protected static Vector2 DoBeginScrollView(Rect position, Vector2 scrollPosition, Rect viewRect, bool alwaysShowHorizontal, bool alwaysShowVertical, GUIStyle horizontalScrollbar, GUIStyle verticalScrollbar, GUIStyle background) { throw null; }
        public static void DragWindow(Rect position) { throw null; }
        public static void DragWindow() { throw null; }
        public static void DrawTexture(Rect position, Texture image) { throw null; }
        public static void DrawTexture(Rect position, Texture image, ScaleMode scaleMode) { throw null; }
        public static void DrawTexture(Rect position, Texture image, ScaleMode scaleMode, bool alphaBlend) { throw null; }
        public static void DrawTexture(Rect position, Texture image, ScaleMode scaleMode, bool alphaBlend, float imageAspect) { throw null; }
        public static void DrawTexture(Rect position, Texture image, ScaleMode scaleMode, bool alphaBlend, float imageAspect, Color color, Vector4 borderWidths, Vector4 borderRadiuses) { throw null; }
        public static void DrawTexture(Rect position, Texture image, ScaleMode scaleMode, bool alphaBlend, float imageAspect, Color color, Vector4 borderWidths, float borderRadius) { throw null; }
        public static void DrawTexture(Rect position, Texture image, ScaleMode scaleMode, bool alphaBlend, float imageAspect, Color color, float borderWidth, float borderRadius) { throw null; }
        public static void DrawTextureWithTexCoords(Rect position, Texture image, Rect texCoords) { throw null; }
        public static void DrawTextureWithTexCoords(Rect position, Texture image, Rect texCoords, bool alphaBlend) { throw null; }
        public static void EndClip() { throw null; }
        public static void EndGroup() { throw null; }
        public static void EndScrollView() { throw null; }
        public static void EndScrollView(bool handleScrollWheel) { throw null; }
        public static void FocusControl(string name) { throw null; }
        public static void FocusWindow(int windowID) { throw null; }
        public static string GetNameOfFocusedControl() { throw null; }
        public static float HorizontalScrollbar(Rect position, float value, float size, float leftValue, float rightValue) { throw null; }
        public static float HorizontalScrollbar(Rect position, float value, float size, float leftValue, float rightValue, GUIStyle style) { throw null; }
        public static float HorizontalSlider(Rect position, float value, float leftValue, float rightValue) { throw null; }
        public static float HorizontalSlider(Rect position, float value, float leftValue, float rightValue, GUIStyle slider, GUIStyle thumb) { throw null; }
        public static float HorizontalSlider(Rect position, float value, float leftValue, float rightValue, GUIStyle slider, GUIStyle thumb, GUIStyle thumbExtent) { throw null; }
        public static void Label(Rect position, GUIContent content) { throw null; }
        public static void Label(Rect position, GUIContent content, GUIStyle style) { throw null; }
        public static void Label(Rect position, Texture image) { throw null; }
        public static void Label(Rect position, Texture image, GUIStyle style) { throw null; }
        public static void Label(Rect position, string text) { throw null; }
        public static void Label(Rect position, string text, GUIStyle style) { throw null; }
        public static string PasswordField(Rect position, string password, char maskChar) { throw null; }
        public static string PasswordField(Rect position, string password, char maskChar, GUIStyle style) { throw null; }
        public static string PasswordField(Rect position, string password, char maskChar, int maxLength) { throw null; }
        public static string PasswordField(Rect position, string password, char maskChar, int maxLength, GUIStyle style) { throw null; }
        public static bool RepeatButton(Rect position, GUIContent content) { throw null; }
        public static bool RepeatButton(Rect position, GUIContent content, GUIStyle style) { throw null; }
        public static bool RepeatButton(Rect position, Texture image) { throw null; }
        public static bool RepeatButton(Rect position, Texture image, GUIStyle style) { throw null; }
        public static bool RepeatButton(Rect position, string text) { throw null; }
        public static bool RepeatButton(Rect position, string text, GUIStyle style) { throw null; }
        public static void ScrollTo(Rect position) { throw null; }
        public static bool ScrollTowards(Rect position, float maxDelta) { throw null; }
        public static int SelectionGrid(Rect position, int selected, GUIContent[] content, int xCount) { throw null; }
        public static int SelectionGrid(Rect position, int selected, GUIContent[] contents, int xCount, GUIStyle style) { throw null; }
        public static int SelectionGrid(Rect position, int selected, Texture[] images, int xCount) { throw null; }
        public static int SelectionGrid(Rect position, int selected, Texture[] images, int xCount, GUIStyle style) { throw null; }
        public static int SelectionGrid(Rect position, int selected, string[] texts, int xCount) { throw null; }
        public static int SelectionGrid(Rect position, int selected, string[] texts, int xCount, GUIStyle style) { throw null; }
        public static void SetNextControlName(string name) { throw null; }
        public static float Slider(Rect position, float value, float size, float start, float end, GUIStyle slider, GUIStyle thumb, bool horiz, int id, GUIStyle thumbExtent = null) { throw null; }
        public static string TextArea(Rect position, string text) { throw null; }
        public static string TextArea(Rect position, string text, GUIStyle style) { throw null; }
        public static string TextArea(Rect position, string text, int maxLength) { throw null; }
        public static string TextArea(Rect position, string text, int maxLength, GUIStyle style) { throw null; }
        public static string TextField(Rect position, string text) { throw null; }
        public static string TextField(Rect position, string text, GUIStyle style) { throw null; }
        public static string TextField(Rect position, string text, int maxLength) { throw null; }
        public static string TextField(Rect position, string text, int maxLength, GUIStyle style) { throw null; }
        public static bool Toggle(Rect position, bool value, GUIContent content) { throw null; }
        public static bool Toggle(Rect position, bool value, GUIContent content, GUIStyle style) { throw null; }
        public static bool Toggle(Rect position, bool value, Texture image) { throw null; }
        public static bool Toggle(Rect position, bool value, Texture image, GUIStyle style) { throw null; }
        public static bool Toggle(Rect position, bool value, string text) { throw null; }
        public static bool Toggle(Rect position, bool value, string text, GUIStyle style) { throw null; }
        public static bool Toggle(Rect position, int id, bool value, GUIContent content, GUIStyle style) { throw null; }
        public static int Toolbar(Rect position, int selected, GUIContent[] contents) { throw null; }
        public static int Toolbar(Rect position, int selected, GUIContent[] contents, GUIStyle style) { throw null; }
        public static int Toolbar(Rect position, int selected, Texture[] images) { throw null; }
        public static int Toolbar(Rect position, int selected, Texture[] images, GUIStyle style) { throw null; }
        public static int Toolbar(Rect position, int selected, string[] texts) { throw null; }
        public static int Toolbar(Rect position, int selected, string[] texts, GUIStyle style) { throw null; }
        public static void UnfocusWindow() { throw null; }
        public static float VerticalScrollbar(Rect position, float value, float size, float topValue, float bottomValue) { throw null; }
        public static float VerticalScrollbar(Rect position, float value, float size, float topValue, float bottomValue, GUIStyle style) { throw null; }
        public static float VerticalSlider(Rect position, float value, float topValue, float bottomValue) { throw null; }
        public static float VerticalSlider(Rect position, float value, float topValue, float bottomValue, GUIStyle slider, GUIStyle thumb) { throw null; }
        public static float VerticalSlider(Rect position, float value, float topValue, float bottomValue, GUIStyle slider, GUIStyle thumb, GUIStyle thumbExtent) { throw null; }
        public static Color backgroundColor { get; set; }
        public static bool changed { get; set; }
        public static Color color { get; set; }
        public static Color contentColor { get; set; }
        public static int depth { get; set; }
        public static bool enabled { get; set; }
        public static Matrix4x4 matrix { get; set; }
        protected static string mouseTooltip { get { throw null; } }
        public static GUISkin skin { set { throw null; } get { throw null; } }
        public static string tooltip { get; set; }
        protected static Rect tooltipRect { get; set; }
    }

    public class GUILayout
    {
        public static void BeginArea(Rect screenRect) { throw null; }
        public static void BeginArea(Rect screenRect, GUIContent content) { throw null; }
        public static void BeginArea(Rect screenRect, GUIContent content, GUIStyle style) { throw null; }
        public static void BeginArea(Rect screenRect, GUIStyle style) { throw null; }
        public static void BeginArea(Rect screenRect, Texture image) { throw null; }
        public static void BeginArea(Rect screenRect, Texture image, GUIStyle style) { throw null; }
        public static void BeginArea(Rect screenRect, string text) { throw null; }
        public static void BeginArea(Rect screenRect, string text, GUIStyle style) { throw null; }
        public static void BeginHorizontal(GUIContent content, GUIStyle style, params GUILayoutOption[] options) { throw null; }
        public static void BeginHorizontal(GUIStyle style, params GUILayoutOption[] options) { throw null; }
        public static void BeginHorizontal(Texture image, GUIStyle style, params GUILayoutOption[] options) { throw null; }
        public static void BeginHorizontal(params GUILayoutOption[] options) { throw null; }
        public static void BeginHorizontal(string text, GUIStyle style, params GUILayoutOption[] options) { throw null; }
        public static Vector2 BeginScrollView(Vector2 scrollPosition, GUIStyle horizontalScrollbar, GUIStyle verticalScrollbar, params GUILayoutOption[] options) { throw null; }
        public static Vector2 BeginScrollView(Vector2 scrollPosition, GUIStyle style) { throw null; }
        public static Vector2 BeginScrollView(Vector2 scrollPosition, GUIStyle style, params GUILayoutOption[] options) { throw null; }
        public static Vector2 BeginScrollView(Vector2 scrollPosition, bool alwaysShowHorizontal, bool alwaysShowVertical, GUIStyle horizontalScrollbar, GUIStyle verticalScrollbar, GUIStyle background, params GUILayoutOption[] options) { throw null; }
        public static Vector2 BeginScrollView(Vector2 scrollPosition, bool alwaysShowHorizontal, bool alwaysShowVertical, GUIStyle horizontalScrollbar, GUIStyle verticalScrollbar, params GUILayoutOption[] options) { throw null; }
        public static Vector2 BeginScrollView(Vector2 scrollPosition, bool alwaysShowHorizontal, bool alwaysShowVertical, params GUILayoutOption[] options) { throw null; }
        public static Vector2 BeginScrollView(Vector2 scrollPosition, params GUILayoutOption[] options) { throw null; }
        public static void BeginVertical(GUIContent content, GUIStyle style, params GUILayoutOption[] options) { throw null; }
        public static void BeginVertical(GUIStyle style, params GUILayoutOption[] options) { throw null; }
        public static void BeginVertical(Texture image, GUIStyle style, params GUILayoutOption[] options) { throw null; }
        public static void BeginVertical(params GUILayoutOption[] options) { throw null; }
        public static void BeginVertical(string text, GUIStyle style, params GUILayoutOption[] options) { throw null; }
        public static void Box(GUIContent content, GUIStyle style, params GUILayoutOption[] options) { throw null; }
        public static void Box(GUIContent content, params GUILayoutOption[] options) { throw null; }
        public static void Box(Texture image, GUIStyle style, params GUILayoutOption[] options) { throw null; }
        public static void Box(Texture image, params GUILayoutOption[] options) { throw null; }
        public static void Box(string text, GUIStyle style, params GUILayoutOption[] options) { throw null; }
        public static void Box(string text, params GUILayoutOption[] options) { throw null; }
        public static bool Button(GUIContent content, GUIStyle style, params GUILayoutOption[] options) { throw null; }
        public static bool Button(GUIContent content, params GUILayoutOption[] options) { throw null; }
        public static bool Button(Texture image, GUIStyle style, params GUILayoutOption[] options) { throw null; }
        public static bool Button(Texture image, params GUILayoutOption[] options) { throw null; }
        public static bool Button(string text, GUIStyle style, params GUILayoutOption[] options) { throw null; }
        public static bool Button(string text, params GUILayoutOption[] options) { throw null; }
        public static void EndArea() { throw null; }
        public static void EndHorizontal() { throw null; }
        public static void EndScrollView() { throw null; }
        public static void EndVertical() { throw null; }
        public static GUILayoutOption ExpandHeight(bool expand) { throw null; }
        public static GUILayoutOption ExpandWidth(bool expand) { throw null; }
        public static void FlexibleSpace() { throw null; }
        public static GUILayoutOption Height(float height) { throw null; }
        public static float HorizontalScrollbar(float value, float size, float leftValue, float rightValue, GUIStyle style, params GUILayoutOption[] options) { throw null; }
        public static float HorizontalScrollbar(float value, float size, float leftValue, float rightValue, params GUILayoutOption[] options) { throw null; }
        public static float HorizontalSlider(float value, float leftValue, float rightValue, GUIStyle slider, GUIStyle thumb, params GUILayoutOption[] options) { throw null; }
        public static float HorizontalSlider(float value, float leftValue, float rightValue, params GUILayoutOption[] options) { throw null; }
        public static void Label(GUIContent content, GUIStyle style, params GUILayoutOption[] options) { throw null; }
        public static void Label(GUIContent content, params GUILayoutOption[] options) { throw null; }
        public static void Label(Texture image, GUIStyle style, params GUILayoutOption[] options) { throw null; }
        public static void Label(Texture image, params GUILayoutOption[] options) { throw null; }
        public static void Label(string text, GUIStyle style, params GUILayoutOption[] options) { throw null; }
        public static void Label(string text, params GUILayoutOption[] options) { throw null; }
        public static GUILayoutOption MaxHeight(float maxHeight) { throw null; }
        public static GUILayoutOption MaxWidth(float maxWidth) { throw null; }
        public static GUILayoutOption MinHeight(float minHeight) { throw null; }
        public static GUILayoutOption MinWidth(float minWidth) { throw null; }
        public static string PasswordField(string password, char maskChar, GUIStyle style, params GUILayoutOption[] options) { throw null; }
        public static string PasswordField(string password, char maskChar, int maxLength, GUIStyle style, params GUILayoutOption[] options) { throw null; }
        public static string PasswordField(string password, char maskChar, int maxLength, params GUILayoutOption[] options) { throw null; }
        public static string PasswordField(string password, char maskChar, params GUILayoutOption[] options) { throw null; }
        public static bool RepeatButton(GUIContent content, GUIStyle style, params GUILayoutOption[] options) { throw null; }
        public static bool RepeatButton(GUIContent content, params GUILayoutOption[] options) { throw null; }
        public static bool RepeatButton(Texture image, GUIStyle style, params GUILayoutOption[] options) { throw null; }
        public static bool RepeatButton(Texture image, params GUILayoutOption[] options) { throw null; }
        public static bool RepeatButton(string text, GUIStyle style, params GUILayoutOption[] options) { throw null; }
        public static bool RepeatButton(string text, params GUILayoutOption[] options) { throw null; }
        public static int SelectionGrid(int selected, GUIContent[] content, int xCount, params GUILayoutOption[] options) { throw null; }
        public static int SelectionGrid(int selected, GUIContent[] contents, int xCount, GUIStyle style, params GUILayoutOption[] options) { throw null; }
        public static int SelectionGrid(int selected, Texture[] images, int xCount, GUIStyle style, params GUILayoutOption[] options) { throw null; }
        public static int SelectionGrid(int selected, Texture[] images, int xCount, params GUILayoutOption[] options) { throw null; }
        public static int SelectionGrid(int selected, string[] texts, int xCount, GUIStyle style, params GUILayoutOption[] options) { throw null; }
        public static int SelectionGrid(int selected, string[] texts, int xCount, params GUILayoutOption[] options) { throw null; }
        public static void Space(float pixels) { throw null; }
        public static string TextArea(string text, GUIStyle style, params GUILayoutOption[] options) { throw null; }
        public static string TextArea(string text, int maxLength, GUIStyle style, params GUILayoutOption[] options) { throw null; }
        public static string TextArea(string text, int maxLength, params GUILayoutOption[] options) { throw null; }
        public static string TextArea(string text, params GUILayoutOption[] options) { throw null; }
        public static string TextField(string text, GUIStyle style, params GUILayoutOption[] options) { throw null; }
        public static string TextField(string text, int maxLength, GUIStyle style, params GUILayoutOption[] options) { throw null; }
        public static string TextField(string text, int maxLength, params GUILayoutOption[] options) { throw null; }
        public static string TextField(string text, params GUILayoutOption[] options) { throw null; }
        public static bool Toggle(bool value, GUIContent content, GUIStyle style, params GUILayoutOption[] options) { throw null; }
        public static bool Toggle(bool value, GUIContent content, params GUILayoutOption[] options) { throw null; }
        public static bool Toggle(bool value, Texture image, GUIStyle style, params GUILayoutOption[] options) { throw null; }
        public static bool Toggle(bool value, Texture image, params GUILayoutOption[] options) { throw null; }
        public static bool Toggle(bool value, string text, GUIStyle style, params GUILayoutOption[] options) { throw null; }
        public static bool Toggle(bool value, string text, params GUILayoutOption[] options) { throw null; }
        public static int Toolbar(int selected, GUIContent[] contents, GUIStyle style, params GUILayoutOption[] options) { throw null; }
        public static int Toolbar(int selected, GUIContent[] contents, bool[] enabled, GUIStyle style, params GUILayoutOption[] options) { throw null; }
        public static int Toolbar(int selected, GUIContent[] contents, params GUILayoutOption[] options) { throw null; }
        public static int Toolbar(int selected, Texture[] images, GUIStyle style, params GUILayoutOption[] options) { throw null; }
        public static int Toolbar(int selected, Texture[] images, params GUILayoutOption[] options) { throw null; }
        public static int Toolbar(int selected, string[] texts, GUIStyle style, params GUILayoutOption[] options) { throw null; }
        public static int Toolbar(int selected, string[] texts, params GUILayoutOption[] options) { throw null; }
        public static float VerticalScrollbar(float value, float size, float topValue, float bottomValue, GUIStyle style, params GUILayoutOption[] options) { throw null; }
        public static float VerticalScrollbar(float value, float size, float topValue, float bottomValue, params GUILayoutOption[] options) { throw null; }
        public static float VerticalSlider(float value, float leftValue, float rightValue, GUIStyle slider, GUIStyle thumb, params GUILayoutOption[] options) { throw null; }
        public static float VerticalSlider(float value, float leftValue, float rightValue, params GUILayoutOption[] options) { throw null; }
        public static GUILayoutOption Width(float width) { throw null; }
    }

    public sealed class Font : Object
    {
        public Font() { throw null; }
        public Font(string name) { throw null; }
        public static event Action<Font> textureRebuilt;
        public static Font CreateDynamicFontFromOSFont(string fontname, int size) { throw null; }
        public static Font CreateDynamicFontFromOSFont(string[] fontnames, int size) { throw null; }
        public static int GetMaxVertsForString(string str) { throw null; }
        public static string[] GetOSInstalledFontNames() { throw null; }
        public static string[] GetPathsToOSFonts() { throw null; }
        public bool HasCharacter(char c) { throw null; }
        public void RequestCharactersInTexture(string characters, int size, FontStyle style) { throw null; }
        public void RequestCharactersInTexture(string characters) { throw null; }
        public void RequestCharactersInTexture(string characters, int size) { throw null; }
        public int ascent { get { throw null; } }
        public bool dynamic { get { throw null; } }
        public string[] fontNames { get; set; }
        public int fontSize { get { throw null; } }
        public int lineHeight { get { throw null; } }
        public Material material { get; set; }
    }
}
