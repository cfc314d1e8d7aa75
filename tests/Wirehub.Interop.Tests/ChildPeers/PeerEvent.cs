using System.Text.Json;

namespace Wirehub.Interop.Tests.ChildPeers;

/// <summary>One JSON line a peer printed: {"event": name, ...fields}.</summary>
internal sealed class PeerEvent(string name, JsonElement fields)
{
    public string Name { get; } = name;

    public JsonElement Fields { get; } = fields;

    public bool Has(string field) => Fields.TryGetProperty(field, out var value) && value.ValueKind != JsonValueKind.Null;

    public string GetString(string field) => Has(field) ? Fields.GetProperty(field).GetString()!
        : throw new InvalidOperationException($"The peer's \"{Name}\" event has no \"{field}\": {this}");

    public long GetInt64(string field) => Has(field) ? Fields.GetProperty(field).GetInt64()
        : throw new InvalidOperationException($"The peer's \"{Name}\" event has no \"{field}\": {this}");

    public bool GetBoolean(string field) => Has(field) ? Fields.GetProperty(field).GetBoolean()
        : throw new InvalidOperationException($"The peer's \"{Name}\" event has no \"{field}\": {this}");

    public override string ToString() => Fields.GetRawText();
}
