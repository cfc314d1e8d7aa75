using System.CommandLine.Parsing;
using System.Globalization;

namespace Wirehub.Cli.Bench;

/// <summary>Parses durations written as "10s", "500ms", "2m" or a bare number of seconds.</summary>
internal static class DurationSyntax
{
    /// <summary>Parses an option's token, adding an error that names the option when it is not a duration.</summary>
    public static TimeSpan Parse(ArgumentResult result, bool allowZero)
    {
        string text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
        string name = result.Parent is OptionResult option ? option.Option.Name : "The duration";
        if (!TryParse(text, out TimeSpan value))
        {
            result.AddError($"{name}: '{text}' is not a duration; write it like 10s, 500ms or 2m.");
        }
        else if (value == TimeSpan.Zero && !allowZero)
        {
            result.AddError($"{name} must be longer than 0; write it like 10s or 500ms.");
        }

        return value;
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

        // At most a day: longer is a typo, and TimeSpan.FromSeconds would overflow long before infinity.
        if (double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double amount)
            && amount * scale <= TimeSpan.FromDays(1).TotalSeconds)
        {
            value = TimeSpan.FromSeconds(amount * scale);
            return true;
        }

        value = TimeSpan.Zero;
        return false;
    }
}
