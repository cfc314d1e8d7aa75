namespace Wirehub.Interop.Tests.ChildPeers;

/// <summary>A message as a peer reported it: its type, size and SHA-256, and the payload itself when small.</summary>
internal sealed class PeerMessage(PeerEvent reported)
{
    public bool Binary { get; } = reported.GetBoolean("binary");

    public long Length { get; } = reported.GetInt64("length");

    /// <summary>Lower-case hex.</summary>
    public string Sha256 { get; } = reported.GetString("sha256");

    /// <summary>The text of a text message the peer printed in full.</summary>
    public string Text => reported.GetString("text");

    /// <summary>The bytes of a binary message the peer printed in full.</summary>
    public byte[] Bytes => Convert.FromBase64String(reported.GetString("base64"));

    public override string ToString() => reported.ToString();
}
