using System.Globalization;

namespace Wirehub.Cli.Configuration;

/// <summary>
/// One setting of <c>wirehub serve</c> and its three spellings: the configuration key (appsettings.json), the
/// environment variable (WIREHUB_ + the key in capitals with ':' written as "__") and, for most, a flag.
/// </summary>
internal sealed class ServeSetting
{
    private readonly string? _environmentVariable;

    public ServeSetting(string key, string? flag, SettingKind kind, string description, string defaultText,
        string? environmentVariable = null)
    {
        Key = key;
        Flag = flag;
        Kind = kind;
        Description = description;
        DefaultText = defaultText;
        _environmentVariable = environmentVariable;
    }

    /// <summary>The configuration key, sections separated by ':' (e.g. <c>Realtime:RecoveryWindow</c>).</summary>
    public string Key { get; }

    /// <summary>The command-line flag (e.g. <c>--recovery-window</c>), or null for settings only files and the environment set.</summary>
    public string? Flag { get; }

    public SettingKind Kind { get; }

    public string Description { get; }

    /// <summary>The default as an operator would write it.</summary>
    public string DefaultText { get; }

    /// <summary>Smallest value: a number, bytes, or ticks for durations.</summary>
    public long Minimum { get; init; }

    /// <summary>Largest value: a number, bytes, or ticks for durations.</summary>
    public long Maximum { get; init; } = long.MaxValue;

    /// <summary>A secret (a key, a password in a connection string): messages never repeat its value.</summary>
    public bool IsSecret { get; init; }

    /// <summary>The accepted words of a <see cref="SettingKind.Choice"/> setting, lower case.</summary>
    public IReadOnlyList<string> Choices { get; init; } = [];

    /// <summary>What a <see cref="SettingKind.Text"/> or <see cref="SettingKind.List"/> setting accepts, in words.</summary>
    public string? AcceptsText { get; init; }

    public string EnvironmentVariable => _environmentVariable ?? ToEnvironmentVariable(Key);

    /// <summary>The name used in messages: every spelling, so an operator finds it whichever source they used.</summary>
    public string Title => Flag is null ? $"{Key} ({EnvironmentVariable})" : $"{Flag} ({Key}, {EnvironmentVariable})";

    /// <summary>The accepted values, in words: "an integer from 0 to 65535", "a duration from 0s to 1d", ...</summary>
    public string Accepts => Kind switch
    {
        SettingKind.Integer => $"an integer from {Minimum.ToString(CultureInfo.InvariantCulture)} to {Maximum.ToString(CultureInfo.InvariantCulture)}",
        SettingKind.Duration => $"a duration from {SettingTextSyntax.FormatDuration(TimeSpan.FromTicks(Minimum))} to {SettingTextSyntax.FormatDuration(TimeSpan.FromTicks(Maximum))} (like 500ms, 30s, 2m, 1h)",
        SettingKind.ByteSize => $"a size in bytes from {SettingTextSyntax.FormatByteSize(Minimum)} to {SettingTextSyntax.FormatByteSize(Maximum)} (like 65536, 64KiB, 1MiB)",
        SettingKind.Boolean => "true or false",
        SettingKind.Choice => string.Join(" or ", Choices),
        _ => AcceptsText ?? "text",
    };

    /// <summary>The environment variable of <paramref name="key"/>: WIREHUB_REALTIME__RECOVERYWINDOW for Realtime:RecoveryWindow.</summary>
    public static string ToEnvironmentVariable(string key) => "WIREHUB_" + key.Replace(":", "__", StringComparison.Ordinal).ToUpperInvariant();

    /// <summary>A namespace's rule shaped like the <c>Realtime:Defaults</c> one it overrides.</summary>
    public ServeSetting ForNamespace(string name)
    {
        const string prefix = "Realtime:Defaults:";
        string field = Key[prefix.Length..];
        string key = $"Realtime:Namespaces:{name}:{field}";
        // The namespace keeps its case in the variable: namespaces are case-sensitive.
        string variable = $"WIREHUB_REALTIME__NAMESPACES__{name}__{field.ToUpperInvariant()}";
        return new ServeSetting(key, flag: null, Kind, Description, $"the {Key} value", variable)
        {
            Minimum = Minimum,
            Maximum = Maximum,
            Choices = Choices,
            AcceptsText = AcceptsText,
            IsSecret = IsSecret,
        };
    }
}
