namespace Wirehub.Conformance.Tests.Catalogue;

/// <summary>
/// How a case must end. <see cref="ClosedByFuzzer"/>: which side must start the closing handshake (false means the
/// peer must fail the connection). <see cref="Codes"/>: close codes the peer may send. <see cref="RequireClean"/>:
/// both Close frames must be exchanged. <see cref="WrongEndpointFailsCase"/>: for UTF-8 cases, the fuzzer having to
/// close means the peer never noticed the invalid text, so the whole case fails.
/// </summary>
internal sealed record CloseExpectation(bool ClosedByFuzzer, IReadOnlyList<int> Codes, bool RequireClean, bool WrongEndpointFailsCase = false)
{
    /// <summary>The fuzzer closes normally once it has seen what it expects; both Close frames must be exchanged.</summary>
    public static CloseExpectation CleanCloseByFuzzer { get; } = new(true, [1000], RequireClean: true);

    /// <summary>The peer must fail the connection because of a protocol error (RFC 6455 §7.1.7, 1002).</summary>
    public static CloseExpectation PeerFailsWithProtocolError { get; } = new(false, [1002], RequireClean: false);

    /// <summary>The peer must fail the connection because a text message is not UTF-8 (RFC 6455 §8.1, 1007).</summary>
    public static CloseExpectation PeerFailsWithInvalidPayload { get; } = new(false, [1007], RequireClean: false, WrongEndpointFailsCase: true);

    /// <summary>True when the peer is expected to fail the connection rather than close it normally.</summary>
    public bool PeerMustFail => !Codes.Contains(1000);

    public override string ToString() =>
        $"closed by {(ClosedByFuzzer ? "fuzzer" : "peer")}, codes [{string.Join(", ", Codes)}], clean {(RequireClean ? "required" : "not required")}";
}
