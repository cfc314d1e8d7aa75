namespace Wirehub.Protocol;

/// <summary>
/// One parameter of an extension in a <c>Sec-WebSocket-Extensions</c> header (RFC 6455 §9.1), such as
/// <c>client_max_window_bits=10</c>.
/// </summary>
/// <param name="Name">The parameter token, as written in the header.</param>
/// <param name="Value">The value with any quoted-string quoting removed, or <see langword="null"/> when the parameter
/// has no value.</param>
public readonly record struct ExtensionParameter(string Name, string? Value);
