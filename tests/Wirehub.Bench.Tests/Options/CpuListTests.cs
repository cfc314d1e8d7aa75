using Wirehub.Cli.Bench;

namespace Wirehub.Bench.Tests.Options;

public class CpuListTests
{
    [Theory]
    [InlineData("0", 1)]
    [InlineData("0-1\n", 2)]
    [InlineData("0-3,6,8-9", 7)]
    public void Cpus_named_by_the_list_are_counted(string list, int count)
    {
        Assert.Equal(count, CpuList.Count(list));
    }

    [Theory]
    [InlineData("")]
    [InlineData("a-b")]
    [InlineData("3-1")]
    public void Anything_else_is_a_format_error(string list)
    {
        Assert.Throws<FormatException>(() => CpuList.Count(list));
    }
}
