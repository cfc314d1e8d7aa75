namespace Wirehub.Protocol;

/// <summary>
/// One element of a <c>Sec-WebSocket-Extensions</c> list (RFC 6455 §9.1): an extension name and its parameters, in the
/// order they were written. In a client request it is an offer; in a server response, an acceptance.
/// </summary>
/// <param name="Name">The extension token, as written in the header.</param>
/// <param name="Parameters">The parameters in header order.</param>
public sealed record ExtensionOffer(string Name, IReadOnlyList<ExtensionParameter> Parameters);
