using System.Text;

namespace Wirehub.Conformance.Tests.Catalogue;

/// <summary>Shorthands the catalogue sections use to define cases and payloads.</summary>
internal static class CaseFactory
{
    public static CaseDefinition Scripted(string id, string description, string expectation, Action<ScriptedCase> onOpen,
        Action<ScriptedCase>? afterJudge = null) =>
        new(id, description, expectation, () => new ScriptedCase(onOpen, afterJudge));

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    public static byte[] Filled(byte value, int length)
    {
        var bytes = new byte[length];
        bytes.AsSpan().Fill(value);
        return bytes;
    }

    public static byte[] Hex(string hex) => Convert.FromHexString(hex);
}
