namespace Wirehub.Cli;

/// <summary>How <c>wirehub connect</c> prints a received binary message, one line per message.</summary>
internal enum BinaryDisplay
{
    /// <summary>Lower-case hexadecimal.</summary>
    Hex,

    /// <summary>Base64 (RFC 4648 §4).</summary>
    Base64,

    /// <summary>The bytes decoded as UTF-8, as a text message is printed.</summary>
    Text,
}
