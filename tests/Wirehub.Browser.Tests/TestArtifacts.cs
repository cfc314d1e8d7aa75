using System.Reflection;

namespace Wirehub.Browser.Tests;

/// <summary>
/// Where tests keep what they produce for people to look at (screenshots): $WIREHUB_TEST_ARTIFACTS when set, else
/// tests/Wirehub.Browser.Tests/TestResults in the source tree (ignored by git).
/// </summary>
internal static class TestArtifacts
{
    public static string Directory
    {
        get
        {
            string directory = Environment.GetEnvironmentVariable("WIREHUB_TEST_ARTIFACTS") is { Length: > 0 } configured
                ? configured
                : Path.Combine(ProjectDirectory, "TestResults");
            System.IO.Directory.CreateDirectory(directory);
            return directory;
        }
    }

    private static string ProjectDirectory =>
        typeof(TestArtifacts).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "ProjectDirectory")?.Value
        ?? AppContext.BaseDirectory;
}
