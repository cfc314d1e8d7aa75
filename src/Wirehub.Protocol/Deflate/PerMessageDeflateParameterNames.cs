namespace Wirehub.Protocol;

/// <summary>The extension parameters RFC 7692 §7.1 defines for permessage-deflate.</summary>
internal static class PerMessageDeflateParameterNames
{
    public const string ServerNoContextTakeover = "server_no_context_takeover";
    public const string ClientNoContextTakeover = "client_no_context_takeover";
    public const string ServerMaxWindowBits = "server_max_window_bits";
    public const string ClientMaxWindowBits = "client_max_window_bits";
}
