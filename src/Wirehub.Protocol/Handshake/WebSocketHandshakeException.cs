using System.Text;

namespace Wirehub.Protocol;

/// <summary>
/// The opening handshake failed: the server refused it with a status other than 101, or its response broke the rules
/// of RFC 6455 §4.1.
/// </summary>
public sealed class WebSocketHandshakeException : Exception
{
    private const int MaxDetailLength = 200;

    /// <summary>Creates an exception for a response that broke the handshake rules.</summary>
    /// <param name="message">What was wrong, for example a message from <see cref="ClientHandshakeValidator"/>.</param>
    public WebSocketHandshakeException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception for a handshake that failed because of another error.</summary>
    /// <param name="message">What was wrong.</param>
    /// <param name="innerException">The error that caused the failure.</param>
    public WebSocketHandshakeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>
    /// Creates an exception for a refused handshake, with a message such as "The server refused the WebSocket
    /// handshake with 403 Forbidden: origin not allowed".
    /// </summary>
    /// <param name="statusCode">The status code of the response.</param>
    /// <param name="reasonPhrase">The reason phrase of the response, possibly empty.</param>
    /// <param name="detail">The response body or another explanation; shortened to one line of 200 characters.</param>
    public WebSocketHandshakeException(int statusCode, string? reasonPhrase, string? detail = null)
        : base(FormatRefusal(statusCode, reasonPhrase, detail))
    {
        StatusCode = statusCode;
        ReasonPhrase = reasonPhrase ?? string.Empty;
    }

    /// <summary>The status code the server answered with, when it refused the handshake; otherwise null.</summary>
    public int? StatusCode { get; }

    /// <summary>The reason phrase the server answered with, when it refused the handshake; otherwise null.</summary>
    public string? ReasonPhrase { get; }

    private static string FormatRefusal(int statusCode, string? reasonPhrase, string? detail)
    {
        var message = new StringBuilder("The server refused the WebSocket handshake with ");
        message.Append(statusCode);
        var reason = OneLine(reasonPhrase);
        if (reason.Length > 0)
        {
            message.Append(' ').Append(reason);
        }

        var shownDetail = OneLine(detail);
        if (shownDetail.Length > 0)
        {
            message.Append(": ").Append(shownDetail);
        }
        else
        {
            message.Append('.');
        }

        return message.ToString();
    }

    // A body is written by the peer: keep a message one readable line and bounded in size.
    private static string OneLine(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return string.Empty;
        }

        var line = new StringBuilder(Math.Min(text.Length, MaxDetailLength + 1));
        var pendingSpace = false;
        foreach (var c in text.AsSpan().Trim())
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                pendingSpace = line.Length > 0;
                continue;
            }

            if (pendingSpace)
            {
                line.Append(' ');
                pendingSpace = false;
            }

            if (line.Length >= MaxDetailLength)
            {
                line.Append('…');
                break;
            }

            line.Append(c);
        }

        return line.ToString();
    }
}
