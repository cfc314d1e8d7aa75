namespace Wirehub.Protocol.Tests.Handshake;

public class WebSocketHandshakeExceptionTests
{
    [Fact]
    public void Refusal_message_names_status_reason_and_body()
    {
        var exception = new WebSocketHandshakeException(403, "Forbidden", "Origin not allowed");

        Assert.Equal("The server refused the WebSocket handshake with 403 Forbidden: Origin not allowed", exception.Message);
    }

    [Fact]
    public void Refusal_keeps_status_code_and_reason_phrase()
    {
        var exception = new WebSocketHandshakeException(426, "Upgrade Required");

        Assert.Equal(426, exception.StatusCode);
        Assert.Equal("Upgrade Required", exception.ReasonPhrase);
    }

    [Fact]
    public void Refusal_without_body_ends_after_the_status()
    {
        var exception = new WebSocketHandshakeException(404, "Not Found", "  ");

        Assert.Equal("The server refused the WebSocket handshake with 404 Not Found.", exception.Message);
    }

    [Fact]
    public void Refusal_body_is_shown_on_one_line()
    {
        var exception = new WebSocketHandshakeException(400, "Bad Request", "line one\r\n\tline two\n");

        Assert.EndsWith("400 Bad Request: line one line two", exception.Message);
    }

    [Fact]
    public void Refusal_body_is_shortened()
    {
        var exception = new WebSocketHandshakeException(500, "Internal Server Error", new string('x', 10_000));

        Assert.InRange(exception.Message.Length, 200, 300);
        Assert.EndsWith("…", exception.Message);
    }

    [Fact]
    public void Rule_violation_has_no_status_code()
    {
        var exception = new WebSocketHandshakeException("The server's Sec-WebSocket-Accept does not match.");

        Assert.Null(exception.StatusCode);
        Assert.Null(exception.ReasonPhrase);
        Assert.Equal("The server's Sec-WebSocket-Accept does not match.", exception.Message);
    }

    [Fact]
    public void Inner_exception_is_kept()
    {
        var inner = new IOException("connection reset");

        Assert.Same(inner, new WebSocketHandshakeException("The handshake failed.", inner).InnerException);
    }
}
