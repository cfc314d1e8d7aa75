using System.Collections;
using Microsoft.Extensions.Configuration;

namespace Wirehub.Cli.Configuration;

/// <summary>
/// The sources of <c>wirehub serve</c>'s settings, lowest precedence first: the JSON file (appsettings.json in the
/// working directory, or --config FILE), the WIREHUB_* environment variables, then the flags. Remembers which source
/// set each value, so a refused value can say where it came from.
/// </summary>
internal sealed class ServeConfigurationLayers
{
    /// <summary>The file read when no --config is given, from the working directory, if present.</summary>
    public const string DefaultFileName = "appsettings.json";

    /// <summary>The environment variable naming the configuration file, as --config does.</summary>
    public const string ConfigFileVariable = "WIREHUB_CONFIG";

    private readonly List<Layer> _layers;
    private readonly IConfigurationProvider? _file;

    private ServeConfigurationLayers(IConfigurationRoot root, List<Layer> layers, IConfigurationProvider? file, string? filePath)
    {
        Root = root;
        _layers = layers;
        _file = file;
        FilePath = filePath;
    }

    public IConfigurationRoot Root { get; }

    /// <summary>The configuration file read, or null when there was none.</summary>
    public string? FilePath { get; }

    /// <summary>
    /// Reads the sources. <paramref name="configFile"/> is --config's value (else WIREHUB_CONFIG's); when neither names
    /// a file, appsettings.json is read if the working directory has one. Returns null, with the reasons in
    /// <paramref name="errors"/>, when a named file is missing or a file is not valid JSON.
    /// </summary>
    public static ServeConfigurationLayers? Load(string? configFile, IReadOnlyDictionary<string, string?> flags,
        IReadOnlyDictionary<string, ServeSetting> flagSettings, List<string> errors)
    {
        string? path = null;
        string? named = configFile ?? Environment.GetEnvironmentVariable(ConfigFileVariable);
        if (!string.IsNullOrEmpty(named))
        {
            path = Path.GetFullPath(named);
            string from = configFile is not null ? "--config" : ConfigFileVariable;
            if (!File.Exists(path))
            {
                errors.Add($"{from}: the configuration file {path} does not exist; give the path of a JSON file (see docs/CONFIGURATION.md).");
                return null;
            }
        }
        else if (File.Exists(DefaultFileName))
        {
            path = Path.GetFullPath(DefaultFileName);
        }

        var builder = new ConfigurationBuilder();
        var labels = new List<Func<string, string>>();
        if (path is not null)
        {
            builder.AddJsonFile(path, optional: false, reloadOnChange: false);
            labels.Add(_ => path);
        }
        builder.AddEnvironmentVariables(prefix: "WIREHUB_");
        labels.Add(EnvironmentVariableOf);
        // WIREHUB_API_KEY is shared with `wirehub publish`; it spells ApiKey with an underscore.
        var alias = new Dictionary<string, string?>();
        if (Environment.GetEnvironmentVariable(ServeSettingCatalog.ApiKey.EnvironmentVariable) is { } apiKey)
            alias[ServeSettingCatalog.ApiKey.Key] = apiKey;
        builder.AddInMemoryCollection(alias);
        labels.Add(_ => $"environment variable {ServeSettingCatalog.ApiKey.EnvironmentVariable}");
        builder.AddInMemoryCollection(flags);
        labels.Add(key => flagSettings.TryGetValue(ListKeyOf(key), out var setting) ? setting.Flag! : key);

        IConfigurationRoot root;
        try
        {
            root = builder.Build();
        }
        catch (InvalidDataException ex)
        {
            errors.Add($"{path}: not a valid JSON configuration file: {ex.InnerException?.Message ?? ex.Message}");
            return null;
        }
        catch (IOException ex)
        {
            errors.Add($"{path}: the configuration file cannot be read: {ex.Message}");
            return null;
        }
        catch (UnauthorizedAccessException ex)
        {
            errors.Add($"{path}: the configuration file cannot be read: {ex.Message}");
            return null;
        }
        var providers = root.Providers.ToList();
        var layers = providers.Select((provider, i) => new Layer(provider, labels[i])).ToList();
        return new ServeConfigurationLayers(root, layers, path is null ? null : providers[0], path);
    }

    /// <summary>The value of <paramref name="key"/> from the source of highest precedence that sets it, or null.</summary>
    public string? Value(string key, out string source)
    {
        for (int i = _layers.Count - 1; i >= 0; i--)
        {
            if (_layers[i].Provider.TryGet(key, out string? value) && value is not null)
            {
                source = _layers[i].Label(key);
                return value;
            }
        }
        source = "";
        return null;
    }

    /// <summary>
    /// The list at <paramref name="key"/>, wholly from the source of highest precedence that sets it (lists are not
    /// merged element by element): indexed keys or a JSON array, else one comma-separated value. Null when unset.
    /// </summary>
    public IReadOnlyList<string>? Values(string key, out string source)
    {
        for (int i = _layers.Count - 1; i >= 0; i--)
        {
            var provider = _layers[i].Provider;
            var children = provider.GetChildKeys([], key).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            if (children.Count > 0)
            {
                source = _layers[i].Label($"{key}:{children[0]}");
                var items = new List<string>();
                foreach (var child in children.OrderBy(c => int.TryParse(c, out int n) ? n : int.MaxValue))
                    if (provider.TryGet($"{key}:{child}", out string? item) && !string.IsNullOrWhiteSpace(item)) items.Add(item.Trim());
                return items;
            }
            if (provider.TryGet(key, out string? value) && value is not null)
            {
                source = _layers[i].Label(key);
                return value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            }
        }
        source = "";
        return null;
    }

    /// <summary>The names of the subsections of <paramref name="key"/> across every source.</summary>
    public IReadOnlyList<string> SectionNames(string key) =>
        Root.GetSection(key).GetChildren().Select(section => section.Key).ToList();

    /// <summary>Every key the configuration file sets (leaves only), for spotting misspelt settings.</summary>
    public IEnumerable<string> FileKeys() => _file is null ? [] : LeafKeys(_file, null);

    private static IEnumerable<string> LeafKeys(IConfigurationProvider provider, string? parent)
    {
        foreach (var child in provider.GetChildKeys([], parent).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            string path = parent is null ? child : $"{parent}:{child}";
            if (provider.GetChildKeys([], path).Any())
            {
                foreach (var leaf in LeafKeys(provider, path)) yield return leaf;
            }
            else
            {
                yield return path;
            }
        }
    }

    /// <summary>The key of the list an element key belongs to: Realtime:AllowedOrigins for Realtime:AllowedOrigins:0.</summary>
    private static string ListKeyOf(string key)
    {
        int colon = key.LastIndexOf(':');
        return colon > 0 && int.TryParse(key.AsSpan(colon + 1), out _) ? key[..colon] : key;
    }

    /// <summary>The variable that set <paramref name="key"/>, spelt as it is in the environment.</summary>
    private static string EnvironmentVariableOf(string key)
    {
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            if (entry.Key is string name && name.StartsWith("WIREHUB_", StringComparison.OrdinalIgnoreCase)
                && string.Equals(name["WIREHUB_".Length..].Replace("__", ":", StringComparison.Ordinal), key, StringComparison.OrdinalIgnoreCase))
                return $"environment variable {name}";
        }
        return $"environment variable {ServeSetting.ToEnvironmentVariable(key)}";
    }

    private sealed record Layer(IConfigurationProvider Provider, Func<string, string> Label);
}
