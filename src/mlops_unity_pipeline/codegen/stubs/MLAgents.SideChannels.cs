// Compile-only stubs of com.unity.ml-agents 3.0.0: the Unity.MLAgents.SideChannels namespace.
// Public surface read from needle-mirror/com.unity.ml-agents@b1c6584 (3.0.0), Runtime/SideChannels/*.cs;
// the member list is pinned by tests/codegen/data/mlagents_api_3.0.0.json (scripts/extract_mlagents_api.py).
// Our own declarations: bodies throw, except where noted for the Mono physics tests.
#pragma warning disable 0067, 0649
using System;
using System.Collections.Generic;

namespace Unity.MLAgents.SideChannels
{
    public class FloatPropertiesChannel : SideChannel
    {
        public FloatPropertiesChannel(Guid channelId = default(Guid)) { throw null; }
        public float GetWithDefault(string key, float defaultValue) { throw null; }
        public IList<string> Keys() { throw null; }
        protected override void OnMessageReceived(IncomingMessage msg) { throw null; }
        public void RegisterCallback(string key, Action<float> action) { throw null; }
        public void Set(string key, float value) { throw null; }
    }

    public class IncomingMessage : IDisposable
    {
        public IncomingMessage(byte[] data) { throw null; }
        public void Dispose() { throw null; }
        public byte[] GetRawBytes() { throw null; }
        public bool ReadBoolean(bool defaultValue = false) { throw null; }
        public float ReadFloat32(float defaultValue = 0.0f) { throw null; }
        public IList<float> ReadFloatList(IList<float> defaultValue = default) { throw null; }
        public int ReadInt32(int defaultValue = 0) { throw null; }
        public string ReadString(string defaultValue = default) { throw null; }
    }

    public class OutgoingMessage : IDisposable
    {
        public OutgoingMessage() { throw null; }
        public void Dispose() { throw null; }
        public void SetRawBytes(byte[] data) { throw null; }
        public void WriteBoolean(bool b) { throw null; }
        public void WriteFloat32(float f) { throw null; }
        public void WriteFloatList(IList<float> floatList) { throw null; }
        public void WriteInt32(int i) { throw null; }
        public void WriteString(string s) { throw null; }
    }

    public class RawBytesChannel : SideChannel
    {
        public RawBytesChannel(Guid channelId) { throw null; }
        public IList<byte[]> GetAndClearReceivedMessages() { throw null; }
        public IList<byte[]> GetReceivedMessages() { throw null; }
        protected override void OnMessageReceived(IncomingMessage msg) { throw null; }
        public void SendRawBytes(byte[] data) { throw null; }
    }

    public abstract class SideChannel
    {
        protected abstract void OnMessageReceived(IncomingMessage msg);
        protected void QueueMessageToSend(OutgoingMessage msg) { throw null; }
        public Guid ChannelId { get { throw null; } protected set { throw null; } }
    }

    public static class SideChannelManager
    {
        public static void RegisterSideChannel(SideChannel sideChannel) { throw null; }
        public static void UnregisterSideChannel(SideChannel sideChannel) { throw null; }
    }
}
