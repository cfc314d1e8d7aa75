using System.Net;

namespace Wirehub.Cli.Configuration;

/// <summary>Where <c>wirehub serve</c> listens: the loopback interfaces (localhost), every interface (*), or one IP address.</summary>
internal sealed record ListenAddress(string Text, IPAddress? Address)
{
    public bool IsLocalhost => Text == "localhost";

    public bool IsEveryInterface => Text == "*";

    /// <summary>Reads "localhost", "*" or an IP address (IPv6 with or without brackets); null for anything else.</summary>
    public static ListenAddress? Parse(string text)
    {
        text = text.Trim();
        if (text.Equals("localhost", StringComparison.OrdinalIgnoreCase)) return new ListenAddress("localhost", null);
        if (text is "*" or "+") return new ListenAddress("*", null);
        string bare = text.StartsWith('[') && text.EndsWith(']') ? text[1..^1] : text;
        // IPAddress.TryParse also takes shorthand such as "8080" (0.0.31.144); only the dotted-quad and IPv6 forms are meant.
        bool fullForm = bare.Contains(':') ? !bare.Contains('%') : bare.Count(c => c == '.') == 3;
        return fullForm && IPAddress.TryParse(bare, out var address) ? new ListenAddress(text, address) : null;
    }
}
