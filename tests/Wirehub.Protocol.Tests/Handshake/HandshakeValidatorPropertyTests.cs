using System.Numerics;
using System.Text.RegularExpressions;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Wirehub.Protocol.Tests.Handshake;

public class HandshakeValidatorPropertyTests
{
    private static readonly HandshakeRequest Valid = new("GET", "HTTP/1.1", "server.example.com", "websocket",
        "Upgrade", "dGhlIHNhbXBsZSBub25jZQ==", "13", "http://example.com", "chat, superchat", "permessage-deflate");

    /// <summary>One edit of one field of a request.</summary>
    public sealed record FieldMutation(int Field, int Kind, int Position, char Value);

    public static class Generators
    {
        public static Arbitrary<FieldMutation> Mutations() =>
            (from field in Gen.Choose(0, 9)
             from kind in Gen.Choose(0, 7)
             from position in Gen.Choose(0, 64)
             from value in Gen.Elements(" \t,=+/A1.3-\r\n\0éWU".ToCharArray())
             select new FieldMutation(field, kind, position, value))
            .ToArbitrary();
    }

    // The rules of RFC 6455 §4.2.1 restated independently of the implementation, in the documented order of checks.
    private static int? ExpectedStatus(in HandshakeRequest request)
    {
        if (request.Method != "GET")
        {
            return 400;
        }

        var version = request.Protocol is null ? null : Regex.Match(request.Protocol, @"\AHTTP/([0-9]+)(?:\.([0-9]+))?\z");
        if (version is null || !version.Success)
        {
            return 400;
        }

        var major = BigInteger.Parse(version.Groups[1].Value);
        var minor = version.Groups[2].Success ? BigInteger.Parse(version.Groups[2].Value) : BigInteger.Zero;
        if (major < 1 || (major == 1 && minor < 1))
        {
            return 400;
        }

        if (string.IsNullOrWhiteSpace(request.Host)
            || !HasToken(request.Upgrade, "websocket")
            || !HasToken(request.Connection, "upgrade"))
        {
            return 400;
        }

        if (request.Version != "13")
        {
            return 426;
        }

        if (request.Key is null || !Regex.IsMatch(request.Key, @"\A[A-Za-z0-9+/]{22}==\z"))
        {
            return 400;
        }

        return null;
    }

    private static bool HasToken(string? list, string token) =>
        list is not null && list.Split(',').Any(e => e.Trim(' ', '\t').Equals(token, StringComparison.OrdinalIgnoreCase));

    private static string? Mutate(string? value, FieldMutation mutation)
    {
        var text = value ?? "";
        var position = mutation.Position % (text.Length + 1);
        return mutation.Kind switch
        {
            0 => text.Insert(position, mutation.Value.ToString()),
            1 when position < text.Length => text.Remove(position, 1),
            2 when position < text.Length => text[..position] + mutation.Value + text[(position + 1)..],
            3 => value?.ToUpperInvariant(),
            4 => value?.ToLowerInvariant(),
            5 => null,
            6 => value is null ? null : value + ", " + value,
            7 => "",
            _ => value,
        };
    }

    private static HandshakeRequest Apply(HandshakeRequest request, FieldMutation mutation) => mutation.Field switch
    {
        0 => request with { Method = Mutate(request.Method, mutation)! },
        1 => request with { Protocol = Mutate(request.Protocol, mutation)! },
        2 => request with { Host = Mutate(request.Host, mutation) },
        3 => request with { Upgrade = Mutate(request.Upgrade, mutation) },
        4 => request with { Connection = Mutate(request.Connection, mutation) },
        5 => request with { Key = Mutate(request.Key, mutation) },
        6 => request with { Version = Mutate(request.Version, mutation) },
        7 => request with { Origin = Mutate(request.Origin, mutation) },
        8 => request with { Subprotocols = Mutate(request.Subprotocols, mutation) },
        _ => request with { Extensions = Mutate(request.Extensions, mutation) },
    };

    private static void AssertMatchesTheRules(in HandshakeRequest request)
    {
        var rejection = HandshakeValidator.Validate(request);

        Assert.Equal(ExpectedStatus(request), rejection?.StatusCode);
        if (rejection is not null)
        {
            Assert.Equal(rejection.StatusCode == 426, rejection.RequiresVersionHeader);
            Assert.False(string.IsNullOrWhiteSpace(rejection.Reason));
        }
    }

    [Property]
    public void Random_requests_never_throw_and_follow_the_rules(string method, string protocol, string host,
        string upgrade, string connection, string key, string version, string origin, string subprotocols,
        string extensions)
    {
        AssertMatchesTheRules(new HandshakeRequest(method, protocol, host, upgrade, connection, key, version, origin,
            subprotocols, extensions));
    }

    [Property(Arbitrary = [typeof(Generators)], MaxTest = 500)]
    public void Mutated_valid_requests_never_throw_and_follow_the_rules(FieldMutation[] mutations)
    {
        var request = mutations.Aggregate(Valid, Apply);

        AssertMatchesTheRules(request);
    }

    [Property]
    public void Random_upgrade_headers_never_throw(string upgrade)
    {
        Assert.Equal(HasToken(upgrade, "websocket"), HandshakeValidator.IsWebSocketRequest(upgrade));
    }

    [Property]
    public void Random_keys_are_valid_exactly_when_they_decode_to_16_bytes(string key)
    {
        var decodesTo16 = key is not null && key.Length == 24 && Regex.IsMatch(key, @"\A[A-Za-z0-9+/=]*\z")
            && Convert.TryFromBase64String(key, new byte[18], out var count) && count == 16;

        Assert.Equal(decodesTo16, HandshakeKey.IsValidClientKey(key));
    }

    [Property]
    public void Random_16_byte_values_make_valid_keys(byte[] seed)
    {
        var nonce = new byte[16];
        seed.AsSpan(0, Math.Min(16, seed.Length)).CopyTo(nonce);

        Assert.True(HandshakeKey.IsValidClientKey(Convert.ToBase64String(nonce)));
    }
}
