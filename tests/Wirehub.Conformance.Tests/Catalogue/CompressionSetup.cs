using Wirehub.Conformance.Tests.Wire;

namespace Wirehub.Conformance.Tests.Catalogue;

/// <summary>
/// The permessage-deflate side of a section 12/13 case: what the fuzzing client offers (RFC 7692 §7.1, several
/// offers in order of preference) and how the fuzzing server answers a client's offers (null: decline).
/// </summary>
internal sealed record CompressionSetup(IReadOnlyList<DeflateOffer> ClientOffers, Func<IReadOnlyList<DeflateOffer>, DeflateAccept?> ServerAccept)
{
    public string OfferHeader => string.Join(", ", ClientOffers);
}
