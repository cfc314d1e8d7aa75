using System.Buffers;
using System.Diagnostics;
using System.Reflection;
using System.IO.Pipelines;
using Wirehub.Protocol;
using Wirehub.WebSockets.Tests.Support;
using Xunit.Abstractions;

namespace Wirehub.WebSockets.Tests;

/// <summary>
/// The hot path allocates nothing per message: receiving and echoing small messages over in-memory pipes, measured
/// with the current thread's allocation counter. Pipes run their continuations inline, so the whole loop stays on this
/// thread and every allocation is counted.
/// </summary>
[Collection(MeasurementCollection.Name)]
public class AllocationTests(ITestOutputHelper output)
{
    private const int Warmup = 1_000;
    private const int Measured = 10_000;

    // Optimized builds (test.sh and CI build Release) allocate nothing; the allowance only absorbs runtime noise such as
    // a pool resize on the way. Unoptimized builds compile every async method to a class, so a receive that goes
    // through the engine's async read path allocates its state machine: that build gets a bound that still catches
    // any per-message buffer, but it is not the zero-allocation claim.
    private static readonly bool EngineIsOptimized =
        typeof(WebSocketConnection).Assembly.GetCustomAttribute<DebuggableAttribute>()?.IsJITOptimizerDisabled != true;

    private static readonly double AllowedBytesPerMessage = EngineIsOptimized ? 1.0 : 1024.0;

    private static readonly PipeOptions Inline = new(readerScheduler: PipeScheduler.Inline, writerScheduler: PipeScheduler.Inline,
        pauseWriterThreshold: 0, resumeWriterThreshold: 0, useSynchronizationContext: false);

    [Theory]
    [InlineData(Opcode.Text, 5)]
    [InlineData(Opcode.Binary, 125)]
    [InlineData(Opcode.Binary, 1000)]
    public async Task Receiving_and_echoing_small_messages_allocates_nothing_per_message(Opcode opcode, int size)
    {
        await using var peer = RawPeer.Create(WebSocketRole.Server, fromEngine: Inline, toEngine: Inline);
        var frame = FrameBytes.Build(opcode, Enumerable.Repeat((byte)'x', size).ToArray(), masked: true);

        EchoMessages(peer, frame, Warmup);
        long before = GC.GetAllocatedBytesForCurrentThread();
        EchoMessages(peer, frame, Measured);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        double perMessage = (double)allocated / Measured;
        output.WriteLine($"{opcode} {size} B: {allocated} bytes allocated over {Measured} messages ({perMessage:0.###} per message, engine optimized: {EngineIsOptimized}).");
        Assert.True(perMessage <= AllowedBytesPerMessage, $"Receiving and echoing allocated {perMessage:0.###} bytes per message.");
    }

    [Fact]
    public async Task A_receive_that_waits_for_data_allocates_nothing_per_message()
    {
        await using var peer = RawPeer.Create(WebSocketRole.Server, fromEngine: Inline, toEngine: Inline);
        var frame = FrameBytes.Build(Opcode.Binary, Enumerable.Repeat((byte)'x', 32).ToArray(), masked: true);

        ReceiveWaitingMessages(peer, frame, Warmup);
        long before = GC.GetAllocatedBytesForCurrentThread();
        ReceiveWaitingMessages(peer, frame, Measured);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        double perMessage = (double)allocated / Measured;
        output.WriteLine($"waiting receive: {allocated} bytes allocated over {Measured} messages ({perMessage:0.###} per message, engine optimized: {EngineIsOptimized}).");
        Assert.True(perMessage <= AllowedBytesPerMessage, $"A receive that waited for its data allocated {perMessage:0.###} bytes per message.");
    }

    /// <summary>Starts a receive with nothing buffered (it must wait), then writes the frame that completes it, <paramref name="count"/> times.</summary>
    private static void ReceiveWaitingMessages(RawPeer peer, byte[] frame, int count)
    {
        for (int i = 0; i < count; i++)
        {
            var receive = peer.Connection.ReceiveAsync();
            if (receive.IsCompleted) throw new InvalidOperationException("The receive completed before its data was written.");
            peer.ToEngine.Write(frame);
            var flushed = peer.ToEngine.FlushAsync();
            if (!flushed.IsCompletedSuccessfully) throw new InvalidOperationException("The input flush did not complete synchronously.");
            if (!receive.IsCompletedSuccessfully) throw new InvalidOperationException("The receive did not complete when its data arrived.");
            _ = receive.Result;
        }
    }

    /// <summary>Writes one frame, receives it, echoes it and consumes the echo, all synchronously, <paramref name="count"/> times.</summary>
    private static void EchoMessages(RawPeer peer, byte[] frame, int count)
    {
        long expectedEcho = frame.Length - 4; // the echo is unmasked: no 4-byte key
        for (int i = 0; i < count; i++)
        {
            peer.ToEngine.Write(frame);
            var flushed = peer.ToEngine.FlushAsync();
            if (!flushed.IsCompletedSuccessfully) throw new InvalidOperationException("The input flush did not complete synchronously.");
            var receive = peer.Connection.ReceiveAsync();
            if (!receive.IsCompletedSuccessfully) throw new InvalidOperationException("The receive did not complete synchronously.");
            var message = receive.Result;
            var send = peer.Connection.SendAsync(message.Data, message.Type);
            if (!send.IsCompletedSuccessfully) throw new InvalidOperationException("The echo did not complete synchronously.");
            if (!peer.FromEngine.TryRead(out var echoed) || echoed.Buffer.Length != expectedEcho)
                throw new InvalidOperationException($"Expected a {expectedEcho}-byte echo frame.");
            peer.FromEngine.AdvanceTo(echoed.Buffer.End);
        }
    }
}
