using Wirehub.Protocol;
using Wirehub.WebSockets.Tests.Support;

namespace Wirehub.WebSockets.Tests;

/// <summary>
/// Random and mutated input fed to a connection in each role, with fixed seeds so every failure reproduces. Whatever
/// arrives, the engine must never throw, must end Closed with a close code a peer could legitimately see, must say so
/// on the wire when it failed the connection, and must not hold on to memory.
/// </summary>
[Collection(MeasurementCollection.Name)]
public class EngineFuzzTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const int Iterations = 1500;

    private static readonly PerMessageDeflateParameters Deflate = new(ServerNoContextTakeover: false, ClientNoContextTakeover: false, 15, 15);

    private static WebSocketOptions SmallLimits() => new()
    {
        MaxMessageSize = 4096,
        MaxFrameSize = 4096,
        CloseTimeout = TimeSpan.FromSeconds(2),
    };

    [Theory]
    [InlineData(WebSocketRole.Server, 11)]
    [InlineData(WebSocketRole.Client, 12)]
    public Task Random_noise_always_ends_in_a_valid_close(WebSocketRole role, int seed) =>
        Fuzz(role, seed, random => FuzzInput.Noise(random));

    [Theory]
    [InlineData(WebSocketRole.Server, 21)]
    [InlineData(WebSocketRole.Client, 22)]
    public Task Frames_with_random_headers_always_end_in_a_valid_close(WebSocketRole role, int seed) =>
        Fuzz(role, seed, random => FuzzInput.RandomFrames(random, role == WebSocketRole.Server));

    [Theory]
    [InlineData(WebSocketRole.Server, 31)]
    [InlineData(WebSocketRole.Client, 32)]
    public Task Mutated_valid_traffic_always_ends_in_a_valid_close(WebSocketRole role, int seed) =>
        Fuzz(role, seed, random => FuzzInput.MutatedTraffic(random, role == WebSocketRole.Server));

    private async Task Fuzz(WebSocketRole role, int seed, Func<Random, byte[]> generate)
    {
        var random = new Random(seed);
        var outcomes = new SortedDictionary<ushort, int>();
        long memoryBefore = GC.GetTotalMemory(forceFullCollection: true);
        for (int i = 0; i < Iterations; i++)
        {
            var stream = generate(random);
            var deflate = random.Next(2) == 0 ? Deflate : null;
            try
            {
                ushort code = await RunOne(role, FuzzInput.RandomReads(random, stream), deflate, wholeMessages: random.Next(2) == 0);
                outcomes[code] = outcomes.GetValueOrDefault(code) + 1;
            }
            catch (Exception ex)
            {
                throw new Xunit.Sdk.XunitException(
                    $"Iteration {i} (seed {seed}, {role}, deflate {deflate is not null}) with input {Convert.ToHexString(stream)}: {ex}");
            }
        }
        long growth = GC.GetTotalMemory(forceFullCollection: true) - memoryBefore;
        output.WriteLine($"Close codes: {string.Join(", ", outcomes.Select(o => $"{o.Key} x{o.Value}"))}; memory growth {growth} bytes.");

        // A generator that only ever produced one outcome would be testing nothing.
        Assert.True(outcomes.Count >= 3, "The input reached fewer than three different endings.");
        Assert.True(growth < 8 * 1024 * 1024, $"Managed memory grew by {growth} bytes over {Iterations} connections.");
    }

    private static async Task<ushort> RunOne(WebSocketRole role, List<byte[]> reads, PerMessageDeflateParameters? deflate, bool wholeMessages)
    {
        await using var peer = RawPeer.CreateScripted(role, reads, SmallLimits(), deflate);
        var connection = peer.Connection;
        for (int received = 0; ; received++)
        {
            if (received > 10_000) throw new InvalidOperationException("The connection kept yielding messages from a finite input.");
            var message = await (wholeMessages ? connection.ReceiveAsync() : connection.ReceiveFragmentAsync()).AsTask().WaitAsync(RawPeer.Patience);
            if (message.IsClose) break;
            Assert.True(message.Data.Length <= 4096);
        }
        var written = await peer.ReadUntilOutputEndsAsync();

        Assert.Equal(WebSocketState.Closed, connection.State);
        ushort code = Assert.NotNull(connection.CloseStatus);
        Assert.True(CloseStatus.IsValidOnWire(code) || code is CloseStatus.NoStatusReceived or CloseStatus.AbnormalClosure,
            $"Closed with {code}, which no peer may report.");
        Assert.All(written, frame => Assert.Contains(frame.Opcode, new[] { Opcode.Pong, Opcode.Close }));
        Assert.All(written, frame => Assert.Equal(role == WebSocketRole.Client, frame.Masked));
        Assert.True(written.Count(f => f.Opcode == Opcode.Close) <= 1, "More than one close frame was sent.");
        // A close that was not a dropped connection was answered or announced on the wire, last, with the same code.
        if (code != CloseStatus.AbnormalClosure)
        {
            var close = Assert.IsType<ReceivedFrame>(written.LastOrDefault(), exactMatch: false);
            Assert.Equal(Opcode.Close, close.Opcode);
            Assert.Equal(code == CloseStatus.NoStatusReceived ? (ushort)0 : code, close.CloseCode);
        }
        return code;
    }
}
