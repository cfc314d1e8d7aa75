using Wirehub.Cli.Bench;

namespace Wirehub.Bench.Tests.Options;

public class DurationSyntaxTests
{
    [Theory]
    [InlineData("10s", 10_000)]
    [InlineData("500ms", 500)]
    [InlineData("2m", 120_000)]
    [InlineData("1.5", 1_500)]
    [InlineData("0", 0)]
    [InlineData("0.25s", 250)]
    public void Durations_are_read_in_their_unit(string text, double milliseconds)
    {
        Assert.True(DurationSyntax.TryParse(text, out TimeSpan value));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("s")]
    [InlineData("-1s")]
    [InlineData("+1s")]
    [InlineData("1e3")]
    [InlineData("10h")]
    [InlineData(" 10s")]
    [InlineData("NaN")]
    [InlineData("25h")]
    [InlineData("1441m")]
    public void Anything_else_is_refused(string text)
    {
        Assert.False(DurationSyntax.TryParse(text, out _));
    }
}
