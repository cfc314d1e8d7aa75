using System.CommandLine;
using System.Text;
using Wirehub.Cli.Configuration;
using Wirehub.Protocol;
using Wirehub.WebSockets;

namespace Wirehub.Cli;

/// <summary>
/// <c>wirehub connect URL</c>: an interactive WebSocket client. Each line of standard input is sent as a message and
/// each message received is printed on standard output, one per line; the connection's state (negotiated subprotocol
/// and extensions, close code and reason) goes to standard error, so a pipe carries only messages.
/// </summary>
internal static class ConnectCommand
{
    public static Command Create()
    {
        var url = new Argument<string>("url") { Description = "The WebSocket URL: ws://host[:port]/path or wss://... (http:// and https:// also work)." };
        var subprotocols = new Option<string[]>("--subprotocol", "-s") { Description = "A subprotocol to offer (repeatable, most preferred first).", HelpName = "NAME" };
        var headers = new Option<string[]>("--header", "-H") { Description = "An extra handshake header, \"Name: value\" (repeatable).", HelpName = "\"NAME: VALUE\"" };
        var origin = new Option<string?>("--origin") { Description = "The Origin header to send (browsers always send one).", HelpName = "ORIGIN" };
        var binary = new Option<bool>("--binary", "-b") { Description = "Send each input line as a binary message (its UTF-8 bytes) instead of a text message." };
        var showBinary = new Option<BinaryDisplay>("--show-binary")
        {
            Description = "How received binary messages are printed: hex, base64, or text (decoded as UTF-8).",
            DefaultValueFactory = _ => BinaryDisplay.Hex,
        };
        var closeCode = new Option<int>("--close-code") { HelpName = "CODE", Description = "Close code sent at the end of input or on Ctrl+C: 1000, 1001-1003, 1007-1014 or 3000-4999.", DefaultValueFactory = _ => 1000 };
        var closeReason = new Option<string>("--close-reason") { HelpName = "TEXT", Description = "Close reason sent with it (at most 123 bytes of UTF-8).", DefaultValueFactory = _ => "" };
        var wait = new Option<string>("--wait", "-w")
        {
            Description = "After the end of input, keep printing what arrives for this long before closing (like 2s, 500ms, 1m).",
            DefaultValueFactory = _ => "0s",
            HelpName = "DURATION",
        };
        var noCompression = new Option<bool>("--no-compression") { Description = "Do not offer permessage-deflate (RFC 7692)." };
        var insecure = new Option<bool>("--insecure", "-k") { Description = "Accept any TLS certificate (self-signed test servers only)." };
        var command = new Command("connect",
            "Connect to a WebSocket server: each line of standard input is sent as a message, each message received is "
            + "printed on standard output. The end of input (or Ctrl+C) closes the connection with a closing handshake. "
            + "The negotiated subprotocol and extensions and the close code and reason are printed on standard error. "
            + "Exit code 0 when the connection closes normally (1000, or after the close this command sent).")
        {
            url, subprotocols, headers, origin, binary, showBinary, closeCode, closeReason, wait, noCompression, insecure,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var errors = new List<string>();
            var settings = Check(parse.GetValue(url)!, parse.GetValue(subprotocols) ?? [], parse.GetValue(headers) ?? [],
                parse.GetValue(origin), parse.GetValue(binary), parse.GetValue(showBinary), parse.GetValue(closeCode),
                parse.GetValue(closeReason) ?? "", parse.GetValue(wait)!, parse.GetValue(noCompression), parse.GetValue(insecure), errors);
            if (settings is null)
            {
                foreach (var error in errors) Console.Error.WriteLine($"wirehub connect: {error}");
                Console.Error.WriteLine("Run 'wirehub connect --help' for usage.");
                return ExitCode.Usage;
            }
            return await ConnectSession.RunAsync(settings, Console.In, Console.Out, Console.Error);
        });
        return command;
    }

    /// <summary>Checks every argument before anything is sent; null with the reasons in <paramref name="errors"/>.</summary>
    private static ConnectSettings? Check(string url, string[] subprotocols, string[] headers, string? origin, bool binary,
        BinaryDisplay display, int closeCode, string closeReason, string wait, bool noCompression, bool insecure, List<string> errors)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("ws" or "wss" or "http" or "https"))
        {
            errors.Add($"'{url}' is not a WebSocket URL: write it like ws://localhost:8080/echo or wss://example.com/connection.");
            return null;
        }
        var options = new WebSocketClientOptions { Origin = origin };
        if (noCompression) options.PerMessageDeflate = null;
        if (insecure) options.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        foreach (var protocol in subprotocols) options.Subprotocols.Add(protocol);
        foreach (var header in headers)
        {
            int colon = header.IndexOf(':');
            if (colon <= 0)
            {
                errors.Add($"--header '{header}' is not \"Name: value\"; write it like --header \"Authorization: Bearer abc\".");
                continue;
            }
            options.Headers.Add(new(header[..colon].Trim(), header[(colon + 1)..].Trim()));
        }
        try
        {
            // The request checks every field it is given, so a bad subprotocol or header is reported before connecting.
            _ = new ClientHandshakeRequest
            {
                Uri = uri,
                Key = HandshakeKey.CreateClientKey(),
                Subprotocols = (IReadOnlyList<string>)options.Subprotocols,
                Headers = (IReadOnlyList<KeyValuePair<string, string>>)options.Headers,
                Origin = origin,
            };
        }
        catch (ArgumentException ex)
        {
            errors.Add(ex.Message.Split(" (Parameter", 2)[0]);
        }
        if (!CloseStatus.IsValidOnWire(closeCode))
            errors.Add($"--close-code {closeCode} cannot be sent in a close frame (RFC 6455 §7.4): use 1000, 1001-1003, 1007-1014 or 3000-4999.");
        if (Encoding.UTF8.GetByteCount(closeReason) > 123)
            errors.Add($"--close-reason is {Encoding.UTF8.GetByteCount(closeReason)} bytes of UTF-8; a close frame holds at most 123 (RFC 6455 §5.5).");
        if (!SettingTextSyntax.TryParseDuration(wait, out var waitTime))
            errors.Add($"--wait '{wait}' is not a duration; write it like 2s, 500ms or 1m.");
        return errors.Count > 0 ? null : new ConnectSettings(uri, options, binary, display, (ushort)closeCode, closeReason, waitTime);
    }
}
