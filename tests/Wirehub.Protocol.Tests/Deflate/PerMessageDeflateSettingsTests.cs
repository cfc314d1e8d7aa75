using Wirehub.Protocol;

namespace Wirehub.Protocol.Tests.Deflate;

/// <summary>Validation of options and agreed parameters, and how parameters are written.</summary>
public sealed class PerMessageDeflateSettingsTests
{
    [Fact]
    public void Options_default_to_rfc_defaults_and_fast_compression()
    {
        var options = new PerMessageDeflateOptions();

        Assert.False(options.ServerNoContextTakeover);
        Assert.False(options.ClientNoContextTakeover);
        Assert.Equal(15, options.ServerMaxWindowBits);
        Assert.Equal(15, options.ClientMaxWindowBits);
        Assert.Equal(128, options.CompressionThreshold);
        Assert.Equal(1, options.CompressionLevel);
        Assert.Equal(8, options.MemoryLevel);
    }

    [Theory]
    [InlineData(7)]
    [InlineData(16)]
    public void Window_size_option_outside_8_to_15_is_refused_by_name(int bits)
    {
        var options = new PerMessageDeflateOptions();

        var server = Assert.Throws<ArgumentOutOfRangeException>(() => options.ServerMaxWindowBits = bits);
        var client = Assert.Throws<ArgumentOutOfRangeException>(() => options.ClientMaxWindowBits = bits);

        Assert.Equal(nameof(PerMessageDeflateOptions.ServerMaxWindowBits), server.ParamName);
        Assert.Contains("8 and 15", server.Message);
        Assert.Equal(nameof(PerMessageDeflateOptions.ClientMaxWindowBits), client.ParamName);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(10)]
    public void Compression_level_outside_0_to_9_is_refused(int level)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new PerMessageDeflateOptions { CompressionLevel = level });

        Assert.Equal(nameof(PerMessageDeflateOptions.CompressionLevel), error.ParamName);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(10)]
    public void Memory_level_outside_1_to_9_is_refused(int level)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new PerMessageDeflateOptions { MemoryLevel = level });

        Assert.Equal(nameof(PerMessageDeflateOptions.MemoryLevel), error.ParamName);
    }

    [Fact]
    public void Negative_compression_threshold_is_refused()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new PerMessageDeflateOptions { CompressionThreshold = -1 });

        Assert.Equal(nameof(PerMessageDeflateOptions.CompressionThreshold), error.ParamName);
    }

    [Fact]
    public void Options_keep_values_inside_their_ranges()
    {
        var options = new PerMessageDeflateOptions
        {
            ServerMaxWindowBits = 8, ClientMaxWindowBits = 15, CompressionLevel = 9, MemoryLevel = 1, CompressionThreshold = 0,
        };

        Assert.Equal((8, 15, 9, 1, 0), (options.ServerMaxWindowBits, options.ClientMaxWindowBits, options.CompressionLevel,
            options.MemoryLevel, options.CompressionThreshold));
    }

    [Fact]
    public void Parameters_with_a_window_outside_8_to_15_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new PerMessageDeflateParameters(false, false, 16, 15));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PerMessageDeflateParameters(false, false, 15, 7));
    }

    [Fact]
    public void Parameters_copied_with_a_window_outside_8_to_15_are_refused()
    {
        var parameters = new PerMessageDeflateParameters(false, false, 15, 15);

        Assert.Throws<ArgumentOutOfRangeException>(() => parameters with { ClientMaxWindowBits = 20 });
    }

    [Fact]
    public void Default_parameters_are_written_as_the_bare_extension_name()
    {
        Assert.Equal("permessage-deflate", new PerMessageDeflateParameters(false, false, 15, 15).ToHeaderValue());
    }

    [Fact]
    public void Non_default_parameters_are_all_written()
    {
        Assert.Equal(
            "permessage-deflate; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=9; client_max_window_bits=10",
            new PerMessageDeflateParameters(true, true, 9, 10).ToHeaderValue());
    }

    [Fact]
    public void Written_parameters_match_the_documented_example()
    {
        Assert.Equal("permessage-deflate; server_no_context_takeover; client_max_window_bits=10",
            new PerMessageDeflateParameters(true, false, 15, 10).ToHeaderValue());
    }
}
