using Wirehub.Realtime.Protocol;

namespace Wirehub.Realtime.Server;

internal sealed partial class RealtimeSession
{
    private AccessToken? _token;
    private ChannelGrants _grants = ChannelGrants.Everything;
    private ITimer? _expiryTimer;
    private AccessToken? _noticeSentFor;

    private void Require(string channel, Capability capability)
    {
        if (!_grants.Allows(channel, capability))
            throw new ProtocolError(ErrorCode.Forbidden,
                $"The token does not grant \"{capability.ToString().ToLowerInvariant()}\" on \"{channel}\": get a token whose caps include it.");
    }

    private long? ExpiresIn() => _token is null ? null
        : Math.Max(0, (long)Math.Ceiling((_token.Expires - hub.Time.GetUtcNow()).TotalSeconds));

    /// <summary>Arms the push of <c>refresh_required</c> before the token expires, then the close with 4002 at expiry.</summary>
    private void ScheduleExpiry()
    {
        if (_token is null) return;
        var token = _token;
        var untilExpiry = token.Expires - hub.Time.GetUtcNow();
        var untilNotice = untilExpiry - hub.Options.RefreshNotice;
        _expiryTimer?.Dispose();
        _expiryTimer = hub.Time.CreateTimer(_ => _ = OnExpiryTimerAsync(token), null,
            untilNotice > TimeSpan.Zero ? untilNotice : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
    }

    private async Task OnExpiryTimerAsync(AccessToken token)
    {
        if (!ReferenceEquals(token, _token)) return;
        var left = token.Expires - hub.Time.GetUtcNow();
        if (left > TimeSpan.Zero)
        {
            _expiryTimer?.Change(left, Timeout.InfiniteTimeSpan);
            if (ReferenceEquals(_noticeSentFor, token)) return;
            _noticeSentFor = token;
            await SendAsync(ServerFrameWriter.RefreshRequired((long)Math.Ceiling(left.TotalSeconds))).ConfigureAwait(false);
            return;
        }
        Transport.CloseOutput(CloseCode.TokenExpired, "The token expired: reconnect with a new token.");
    }

    private async ValueTask RefreshAsync(ClientFrame frame)
    {
        if (hub.Options.TokenSigningKey is not { } key)
            throw new ProtocolError(ErrorCode.BadRequest, "This server admits anonymous clients: there is no token to refresh.");
        var token = frame.Token is null ? null : await AccessToken.ValidateAsync(frame.Token, key, hub.Time).ConfigureAwait(false);
        if (token is null || token.ClientId != State!.ClientId)
            throw new ProtocolError(ErrorCode.NotConnected, "The token is invalid, expired or for another client: get a new token.");
        _token = token;
        _grants = token.Grants;
        ScheduleExpiry();
        await SendAsync(ServerFrameWriter.Refreshed(frame.Id, ExpiresIn()!.Value)).ConfigureAwait(false);
    }

    private void StopExpiryTimer()
    {
        _expiryTimer?.Dispose();
        _expiryTimer = null;
    }
}
