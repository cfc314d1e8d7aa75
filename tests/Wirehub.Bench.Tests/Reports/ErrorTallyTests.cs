using System.Net.Sockets;
using Wirehub.Cli.Bench;

namespace Wirehub.Bench.Tests.Reports;

public class ErrorTallyTests
{
    [Fact]
    public void Errors_are_counted_by_kind_and_in_total()
    {
        ErrorTally errors = new();

        errors.Record(BenchErrorKind.Closed, "closed");
        errors.Record(BenchErrorKind.Closed, "closed again");
        errors.Record(BenchErrorKind.Lost, "lost", count: 40);

        Assert.Equal(2, errors.CountOf(BenchErrorKind.Closed));
        Assert.Equal(40, errors.CountOf(BenchErrorKind.Lost));
        Assert.Equal(0, errors.CountOf(BenchErrorKind.Connect));
        Assert.Equal(42, errors.Total);
    }

    [Fact]
    public void The_first_message_is_kept()
    {
        ErrorTally errors = new();

        errors.Record(BenchErrorKind.Altered, "first");
        errors.Record(BenchErrorKind.Closed, "second");

        Assert.Equal("first", errors.First);
    }

    [Fact]
    public void Recording_none_changes_nothing()
    {
        ErrorTally errors = new();

        errors.Record(BenchErrorKind.Lost, "0 messages lost", count: 0);

        Assert.Equal(0, errors.Total);
        Assert.Null(errors.First);
    }

    [Fact]
    public void Every_kind_is_listed()
    {
        Assert.Equal(Enum.GetValues<BenchErrorKind>(), ErrorTally.Kinds);
    }

    // Kinds by name: the enum is internal, and a public test method cannot take it.
    public static TheoryData<Exception, string> Exceptions => new()
    {
        { new BenchFailure(BenchErrorKind.Altered, "changed"), nameof(BenchErrorKind.Altered) },
        { new SocketException((int)SocketError.ConnectionRefused), nameof(BenchErrorKind.Connect) },
        { new SocketException((int)SocketError.ConnectionReset), nameof(BenchErrorKind.Closed) },
        { new SocketException((int)SocketError.NoBufferSpaceAvailable), nameof(BenchErrorKind.Socket) },
        { new TimeoutException(), nameof(BenchErrorKind.Timeout) },
        { new IOException("epoll_ctl failed"), nameof(BenchErrorKind.Socket) },
    };

    [Theory]
    [MemberData(nameof(Exceptions))]
    public void Exceptions_are_counted_under_their_kind(Exception exception, string kindName)
    {
        BenchErrorKind kind = Enum.Parse<BenchErrorKind>(kindName);
        ErrorTally errors = new();

        errors.Record(exception);

        Assert.Equal(1, errors.CountOf(kind));
        Assert.Equal(exception.Message, errors.First);
    }
}
