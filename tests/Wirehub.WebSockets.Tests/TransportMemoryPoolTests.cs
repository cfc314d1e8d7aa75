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

/// <summary>The memory pool given to Kestrel's socket transport: block size, reuse, the bound on idle memory.</summary>
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

    [Fact]
    public void At_most_maxRetainedBytes_of_returned_blocks_are_kept()
    {
        using var pool = new TransportMemoryPool(Block, maxRetainedBytes: 2 * Block);
        var owners = Enumerable.Range(0, 5).Select(_ => pool.Rent()).ToList();
        var returned = owners.Select(ArrayOf).ToList();
        owners.ForEach(o => o.Dispose());

        var again = Enumerable.Range(0, 5).Select(_ => pool.Rent()).ToList();
        var reused = again.Select(ArrayOf).Count(array => returned.Any(r => ReferenceEquals(r, array)));
        again.ForEach(o => o.Dispose());

        Assert.Equal(2, reused);
    }

    [Fact]
    public void Retained_budget_frees_up_as_blocks_are_rented_again()
    {
        using var pool = new TransportMemoryPool(Block, maxRetainedBytes: Block);
        var a = pool.Rent();
        var b = pool.Rent();
        var arrayA = ArrayOf(a);
        var arrayB = ArrayOf(b);
        a.Dispose();
        b.Dispose(); // over the budget: dropped
        var c = pool.Rent(); // takes the kept one, making room again
        Assert.Same(arrayA, ArrayOf(c));

        var d = pool.Rent();
        var arrayD = ArrayOf(d);
        d.Dispose(); // room again: kept

        using var e = pool.Rent();
        Assert.Same(arrayD, ArrayOf(e));
        Assert.NotSame(arrayB, arrayD);
        c.Dispose();
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
