using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Wirehub.Realtime.Server;

/// <summary>A validated JWT (HS256): the client id (<c>sub</c>), the expiry (<c>exp</c>) and the channel grants (<c>caps</c>).</summary>
internal sealed record AccessToken(string ClientId, DateTimeOffset Expires, ChannelGrants Grants)
{
    private static readonly JsonWebTokenHandler Handler = new();

    /// <summary>Validates <paramref name="token"/>; null when it is malformed, badly signed, expired or has no <c>sub</c>.</summary>
    public static async Task<AccessToken?> ValidateAsync(string token, byte[] key, TimeProvider time)
    {
        var parameters = new TokenValidationParameters
        {
            IssuerSigningKey = new SymmetricSecurityKey(key),
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            ValidateIssuer = false,
            ValidateAudience = false,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            ClockSkew = TimeSpan.Zero,
            LifetimeValidator = (_, expires, _, _) => expires is { } e && e > time.GetUtcNow().UtcDateTime,
        };
        TokenValidationResult result;
        try { result = await Handler.ValidateTokenAsync(token, parameters).ConfigureAwait(false); }
        catch (ArgumentException) { return null; }
        if (!result.IsValid || result.SecurityToken is not JsonWebToken jwt) return null;
        if (!jwt.TryGetPayloadValue("sub", out string? sub) || string.IsNullOrEmpty(sub)) return null;
        var grants = ChannelGrants.None;
        using (var payload = JsonDocument.Parse(Base64UrlEncoder.DecodeBytes(jwt.EncodedPayload)))
        {
            if (payload.RootElement.TryGetProperty("caps", out var caps)) grants = ChannelGrants.Parse(caps);
        }
        return new AccessToken(sub, new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero), grants);
    }
}
