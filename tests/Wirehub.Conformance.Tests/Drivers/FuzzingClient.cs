using System.Net.Sockets;
using System.Text;
using Wirehub.Conformance.Tests.Catalogue;
using Wirehub.Conformance.Tests.Engine;
using Wirehub.Conformance.Tests.Wire;

namespace Wirehub.Conformance.Tests.Drivers;

/// <summary>
/// Tests a WebSocket server: for one case, opens a TCP connection to the server's ws:// URL, performs the opening
/// handshake (offering permessage-deflate exactly as the case does), runs the case as the client and returns the
/// verdict.
/// </summary>
internal static class FuzzingClient
{
    public static async Task<CaseVerdict> RunAsync(Uri server, CaseDefinition definition, HarnessOptions options, CancellationToken cancellationToken)
    {
        if (server.Scheme != "ws")
            throw new ArgumentException($"The fuzzing client speaks plain ws:// only, not '{server.Scheme}://'; point it at a ws:// URL.", nameof(server));
        var fuzzCase = definition.Create();
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            using var handshakeTime = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            handshakeTime.CancelAfter(options.Timeout(5));
            try
            {
                await socket.ConnectAsync(server.Host, server.Port, handshakeTime.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException)
            {
                return CaseVerdict.HandshakeFailed(definition, $"could not connect to {server}: {e.Message}");
            }

            string key = OpeningHandshake.NewKey();
            var setup = fuzzCase.Compression;
            string request = OpeningHandshake.BuildRequest(server, key, setup?.OfferHeader);
            HttpHead head;
            byte[] leftover;
            try
            {
                await socket.SendAsync(Encoding.ASCII.GetBytes(request), SocketFlags.None, handshakeTime.Token).ConfigureAwait(false);
                (head, leftover) = await HttpHead.ReadAsync(socket, handshakeTime.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException or IOException)
            {
                return CaseVerdict.HandshakeFailed(definition, $"no valid HTTP response to the upgrade request: {e.Message}");
            }

            string? problem = OpeningHandshake.ValidateResponse(head, key);
            if (problem is not null) return CaseVerdict.HandshakeFailed(definition, problem);

            DeflateCodec? compression = null;
            string? extensions = head["Sec-WebSocket-Extensions"];
            try
            {
                var accepted = ExtensionHeader.ParseList(extensions);
                if (accepted.Count > 0)
                {
                    if (setup is null || accepted.Count != 1 || accepted[0].Name != DeflateOffer.ExtensionName)
                        return CaseVerdict.HandshakeFailed(definition,
                            $"the server answered with Sec-WebSocket-Extensions '{extensions}', but the client offered {(setup is null ? "no extension" : $"only '{setup.OfferHeader}'")} (RFC 6455 §9.1).");
                    compression = DeflateResponse.Parse(accepted[0], setup.ClientOffers).CreateClientCodec(setup.ClientOffers);
                }
            }
            catch (FormatException e)
            {
                return CaseVerdict.HandshakeFailed(definition, e.Message);
            }

            var peer = new FuzzingPeer(socket, PeerRole.Client, fuzzCase, options, compression, compression is null ? null : extensions);
            await peer.RunAsync(leftover, options.CaseTimeout, cancellationToken).ConfigureAwait(false);
            return CaseVerdict.Judged(definition, fuzzCase, peer);
        }
        finally
        {
            socket.Dispose();
        }
    }
}
