using System.Buffers;
using System.Net;
using System.Runtime.InteropServices;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Wirehub.WebSockets.Tests.Support;

namespace Wirehub.WebSockets.Tests;

/// <summary>The memory pool given to Kestrel's socket transport: block size, reuse, trimming down to the idle floor.</summary>
public class TransportMemoryPoolTests
{
    private const int Block = 4096;

    private static byte[] ArrayOf(IMemoryOwner<byte> owner)
    {
        Assert.True(MemoryMarshal.TryGetArray<byte>(owner.Memory, out var segment));
        return segment.Array!;
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(Block)]
    public void Rent_gives_a_whole_block_of_the_configured_size(int minBufferSize)
    {
        using var pool = new TransportMemoryPool(Block);

        using var owner = pool.Rent(minBufferSize);

        Assert.Equal(Block, owner.Memory.Length);
    }

    [Fact]
    public void Default_blocks_are_32_KiB()
    {
        using var pool = new TransportMemoryPool();

        using var owner = pool.Rent();

        Assert.Equal(32 * 1024, owner.Memory.Length);
        Assert.Equal(32 * 1024, pool.MaxBufferSize);
    }

    [Fact]
    public void MaxBufferSize_is_the_block_size()
    {
        using var pool = new TransportMemoryPool(64 * 1024);

        Assert.Equal(64 * 1024, pool.MaxBufferSize);
    }

    [Fact]
    public void Rent_beyond_the_block_size_throws()
    {
        using var pool = new TransportMemoryPool(Block);

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => pool.Rent(Block + 1));
        Assert.Equal("minBufferSize", error.ParamName);
    }

    [Fact]
    public void Renting_a_returned_block_allocates_nothing()
    {
        using var pool = new TransportMemoryPool(Block);
        pool.Rent().Dispose();

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++) pool.Rent().Dispose();

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Disposing_a_rent_twice_returns_its_block_once()
    {
        using var pool = new TransportMemoryPool(Block);
        var first = pool.Rent();
        first.Dispose();
        first.Dispose();

        using var second = pool.Rent();
        using var third = pool.Rent();

        Assert.NotSame(ArrayOf(second), ArrayOf(third));
    }

    [Fact]
    public void A_disposed_rent_no_longer_gives_its_memory()
    {
        using var pool = new TransportMemoryPool(Block);
        var owner = pool.Rent();
        owner.Dispose();

        Assert.Throws<ObjectDisposedException>(() => owner.Memory);
    }

    [Fact]
    public void Returned_block_is_rented_again()
    {
        using var pool = new TransportMemoryPool(Block);
        var first = pool.Rent();
        var array = ArrayOf(first);
        first.Dispose();

        using var second = pool.Rent();

        Assert.Same(array, ArrayOf(second));
    }

    [Fact]
    public void Blocks_rented_at_once_are_distinct()
    {
        using var pool = new TransportMemoryPool(Block);

        using var a = pool.Rent();
        using var b = pool.Rent();

        Assert.NotSame(ArrayOf(a), ArrayOf(b));
    }

    private static List<byte[]> RentAndReturn(TransportMemoryPool pool, int count)
    {
        var owners = Enumerable.Range(0, count).Select(_ => pool.Rent()).ToList();
        var arrays = owners.Select(ArrayOf).ToList();
        owners.ForEach(o => o.Dispose());
        return arrays;
    }

    [Fact]
    public void Every_block_returned_after_a_burst_is_reused_by_the_next_burst()
    {
        using var pool = new TransportMemoryPool(Block, idleRetainedBytes: 2 * Block);
        var first = RentAndReturn(pool, 50);

        var second = RentAndReturn(pool, 50);

        Assert.Equal(50, second.Count(array => first.Any(f => ReferenceEquals(f, array))));
    }

    [Fact]
    public void A_trim_keeps_the_blocks_needed_during_its_interval()
    {
        using var pool = new TransportMemoryPool(Block, idleRetainedBytes: 2 * Block);
        RentAndReturn(pool, 5);

        pool.Trim();

        Assert.Equal(5, pool.FreeBlocks);
    }

    [Fact]
    public void Blocks_unused_for_a_whole_interval_are_released_down_to_the_idle_floor()
    {
        using var pool = new TransportMemoryPool(Block, idleRetainedBytes: 2 * Block);
        RentAndReturn(pool, 5);
        pool.Trim();

        pool.Trim();

        Assert.Equal(2, pool.FreeBlocks);
    }

    [Fact]
    public void Only_the_blocks_no_rent_needed_in_an_interval_are_released()
    {
        using var pool = new TransportMemoryPool(Block, idleRetainedBytes: Block);
        RentAndReturn(pool, 5);
        pool.Trim();
        RentAndReturn(pool, 3);

        pool.Trim();

        // Two of the five stayed free through the interval; one of them is the idle floor.
        Assert.Equal(4, pool.FreeBlocks);
    }

    [Fact]
    public void The_pool_trims_itself_every_trim_interval()
    {
        using var pool = new TransportMemoryPool(Block, idleRetainedBytes: Block, trimInterval: TimeSpan.FromMilliseconds(20));
        RentAndReturn(pool, 5);

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (pool.FreeBlocks > 1 && DateTime.UtcNow < deadline) Thread.Sleep(10);

        Assert.Equal(1, pool.FreeBlocks);
    }

    [Fact]
    public void A_non_positive_trim_interval_is_refused()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new TransportMemoryPool(Block, trimInterval: TimeSpan.Zero));
        Assert.Equal("trimInterval", error.ParamName);
    }

    [Fact]
    public void A_negative_idle_retention_is_refused()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new TransportMemoryPool(Block, idleRetainedBytes: -1));
        Assert.Equal("idleRetainedBytes", error.ParamName);
    }

    [Fact]
    public void Disposing_a_block_twice_returns_it_once()
    {
        using var pool = new TransportMemoryPool(Block);
        var owner = pool.Rent();

        owner.Dispose();
        owner.Dispose();
        using var first = pool.Rent();
        using var second = pool.Rent();

        Assert.NotSame(ArrayOf(first), ArrayOf(second));
    }

    [Fact]
    public void Disposed_block_refuses_access_to_its_memory()
    {
        using var pool = new TransportMemoryPool(Block);
        var owner = pool.Rent();

        owner.Dispose();

        Assert.Throws<ObjectDisposedException>(() => owner.Memory);
    }

    [Fact]
    public void Disposing_the_pool_leaves_it_usable_for_the_other_transports_that_share_it()
    {
        var pool = new TransportMemoryPool(Block);

        pool.Dispose();
        using var owner = pool.Rent();

        Assert.Equal(Block, owner.Memory.Length);
    }

    [Fact]
    public void Every_transport_is_given_the_same_pool()
    {
        using var pool = new TransportMemoryPool(Block);
        IMemoryPoolFactory<byte> factory = pool;

        Assert.Same(pool, factory.Create(new MemoryPoolOptions()));
        Assert.Same(pool, factory.Create(null));
    }

    [Theory]
    [InlineData(4095)]
    [InlineData(1024 * 1024 + 1)]
    [InlineData(0)]
    [InlineData(-4096)]
    public void Block_size_outside_4_KiB_to_1_MiB_is_refused(int blockSize)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new TransportMemoryPool(blockSize));
        Assert.Equal("blockSize", error.ParamName);
    }

    [Theory]
    [InlineData(4096)]
    [InlineData(1024 * 1024)]
    public void Block_size_at_the_bounds_is_accepted(int blockSize)
    {
        using var pool = new TransportMemoryPool(blockSize);

        using var owner = pool.Rent();

        Assert.Equal(blockSize, owner.Memory.Length);
    }

    [Theory]
    [InlineData(4096)]
    [InlineData(32 * 1024)]
    [InlineData(1024 * 1024)]
    public async Task Kestrel_with_the_transport_pool_echoes_a_1_MiB_message(int blockSize)
    {
        MemoryPool<byte>? transportPool = null;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddWebSocketTransportPool(blockSize);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen =>
        {
            listen.Use(next => context =>
            {
                transportPool = context.Features.Get<IMemoryPoolFeature>()?.MemoryPool;
                return next(context);
            });
            listen.UseWebSocketServer((connection, _) => EchoHandler.RunAsync(connection));
        }));
        await using var app = builder.Build();
        await app.StartAsync();
        try
        {
            var port = new Uri(app.Urls.Single()).Port;
            var message = new byte[1024 * 1024];
            new Random(1234).NextBytes(message);

            await using var client = new WebSocketClient(new Uri($"ws://127.0.0.1:{port}/ws"));
            await client.ConnectAsync();
            await client.SendAsync(message);
            var echoed = await client.ReceiveAsync();
            var (type, bytes) = (echoed.Type, echoed.ToArray());
            await client.CloseAsync();

            Assert.Equal(MessageType.Binary, type);
            Assert.Equal(message, bytes);
            var registered = Assert.IsType<TransportMemoryPool>(app.Services.GetRequiredService<IMemoryPoolFactory<byte>>());
            Assert.Same(registered, transportPool);
            Assert.Equal(blockSize, registered.MaxBufferSize);
        }
        finally
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await app.StopAsync(timeout.Token);
        }
    }
}
