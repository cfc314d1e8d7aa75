using System.Reflection;
using System.Text.RegularExpressions;
using Wirehub.Cli.Tests.Support;

namespace Wirehub.Cli.Tests;

/// <summary>The documents describe the commands as their help does: no setting or option goes undocumented.</summary>
public sealed partial class DocumentationTests
{
    private static readonly string Docs = typeof(DocumentationTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(attribute => attribute.Key == "DocsDirectory").Value!;

    [Fact]
    public async Task Configuration_md_documents_every_serve_setting_with_its_variable_and_default()
    {
        var help = await WirehubProcess.RunAsync(["serve", "--help"]);
        string document = File.ReadAllText(Path.Combine(Docs, "CONFIGURATION.md"));

        var settings = ServeSetting().Matches(help.Stdout);

        Assert.True(settings.Count >= 30, help.Stdout);
        foreach (Match setting in settings)
        {
            string flag = setting.Groups["flag"].Value, variable = setting.Groups["variable"].Value;
            var row = document.Split('\n').SingleOrDefault(line => line.StartsWith($"| `{flag}` |", StringComparison.Ordinal));
            Assert.True(row is not null, $"CONFIGURATION.md has no row for {flag}.");
            Assert.Contains($"`{variable}`", row);
            Assert.Contains($"| {setting.Groups["default"].Value.Split(' ')[0]}", row);
        }
    }

    [Fact]
    public async Task Getting_started_md_documents_every_connect_option()
    {
        var help = await WirehubProcess.RunAsync(["connect", "--help"]);
        string document = File.ReadAllText(Path.Combine(Docs, "GETTING-STARTED.md"));

        var options = ConnectOption().Matches(help.Stdout).Select(match => match.Groups["option"].Value).Where(option => option != "--help").ToList();

        Assert.True(options.Count >= 10, help.Stdout);
        foreach (var option in options) Assert.Contains($"`{option}", document);
    }

    [GeneratedRegex(@"^\s+(?<flag>--[a-z-]+) <[^>]+>\s+.*Default: (?<default>.*?)\. Env: (?<variable>WIREHUB_\S+)\.$", RegexOptions.Multiline)]
    private static partial Regex ServeSetting();

    [GeneratedRegex(@"^\s+(?:-\S+, )?(?<option>--[a-z-]+)", RegexOptions.Multiline)]
    private static partial Regex ConnectOption();
}
