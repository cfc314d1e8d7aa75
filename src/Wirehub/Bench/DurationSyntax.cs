using System.CommandLine.Parsing;
using System.Globalization;

namespace Wirehub.Cli.Bench;

/// <summary>Parses durations written as "10s", "500ms", "2m" or a bare number of seconds.</summary>
internal static class DurationSyntax
{
    public static TimeSpan Parse(ArgumentResult result)
    {
        string text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
        if (TryParse(text, out TimeSpan value))
        {
            return value;
        }

        result.AddError($"'{text}' is not a duration; write it like 10s, 500ms or 2m.");
        return TimeSpan.Zero;
    }

    public static bool TryParse(string text, out TimeSpan value)
    {
        (string number, double scale) = text switch
        {
            _ when text.EndsWith("ms", StringComparison.Ordinal) => (text[..^2], 0.001),
            _ when text.EndsWith('s') => (text[..^1], 1.0),
            _ when text.EndsWith('m') => (text[..^1], 60.0),
            _ => (text, 1.0),
        };

        if (double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out double amount) && amount >= 0)
        {
            value = TimeSpan.FromSeconds(amount * scale);
            return true;
        }

        value = TimeSpan.Zero;
        return false;
    }
}
