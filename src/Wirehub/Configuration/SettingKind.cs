namespace Wirehub.Cli.Configuration;

/// <summary>What kind of value a <see cref="ServeSetting"/> holds, which decides how its text is read and checked.</summary>
internal enum SettingKind
{
    /// <summary>A whole number between the setting's minimum and maximum.</summary>
    Integer,

    /// <summary>A duration (see <see cref="SettingTextSyntax.TryParseDuration"/>) between the minimum and maximum, in ticks.</summary>
    Duration,

    /// <summary>A size in bytes (see <see cref="SettingTextSyntax.TryParseByteSize"/>) between the minimum and maximum.</summary>
    ByteSize,

    /// <summary>true or false.</summary>
    Boolean,

    /// <summary>One of the setting's choices.</summary>
    Choice,

    /// <summary>Free text, checked by a rule of its own.</summary>
    Text,

    /// <summary>A list of texts: repeated flags, a JSON array, indexed keys or one comma-separated value.</summary>
    List,
}
