using Wirehub.Conformance.Tests.Wire;

namespace Wirehub.Conformance.Tests.Catalogue;

/// <summary>
/// Sections 12 and 13, permessage-deflate (RFC 7692). Section 12 uses the default offer with each of the five
/// payload sources; section 13 uses one source with seven combinations of offers and acceptances (context takeover
/// and window sizes). Both run the same 18 message-size / fragmentation variants.
/// </summary>
internal static class CompressionCases
{
    /// <summary>(payload length, message count, timeout in seconds, auto-fragment size).</summary>
    private static readonly (int Length, int Count, double Wait, int Fragment)[] Variants =
    [
        (16, 1000, 60, 0), (64, 1000, 60, 0), (256, 1000, 120, 0), (1024, 1000, 240, 0), (4096, 1000, 480, 0),
        (8192, 1000, 480, 0), (16384, 1000, 480, 0), (32768, 1000, 480, 0), (65536, 1000, 480, 0), (131072, 1000, 480, 0),
        (8192, 1000, 480, 256), (16384, 1000, 480, 256), (32768, 1000, 480, 256), (65536, 1000, 480, 256),
        (131072, 1000, 480, 256), (131072, 1000, 480, 1024), (131072, 1000, 480, 4096), (131072, 1000, 480, 32768),
    ];

    public static IEnumerable<CaseDefinition> All()
    {
        var defaultSetup = new CompressionSetup([new DeflateOffer()], AcceptAsOffered);
        for (int j = 0; j < CompressionCorpus.All.Count; j++)
        {
            var corpus = CompressionCorpus.All[j];
            foreach (var definition in Variants.Select((v, i) => Define($"12.{j + 1}.{i + 1}", corpus, v, defaultSetup, "Use the default permessage-deflate offer.")))
                yield return definition;
        }

        var json = CompressionCorpus.All[0];
        for (int j = 0; j < Parameters.Length; j++)
        {
            var (setup, text) = Parameters[j];
            foreach (var definition in Variants.Select((v, i) => Define($"13.{j + 1}.{i + 1}", json, v, setup, text)))
                yield return definition;
        }
    }

    private static CaseDefinition Define(string id, CompressionCorpus corpus, (int Length, int Count, double Wait, int Fragment) v,
        CompressionSetup setup, string parameters) =>
        new(id,
            $"Send {v.Count} compressed messages each of payload size {v.Length} ({corpus.Description}), auto-fragment to {v.Fragment} octets. {parameters}",
            $"Receive echoed messages (with payload as sent). Timeout case after {v.Wait} secs.",
            () => new CompressedEchoCase(corpus, v.Length, v.Count, v.Wait, v.Fragment, setup));

    /// <summary>Section 13: (offers the fuzzing client makes, how the fuzzing server accepts), described as in the original.</summary>
    private static readonly (CompressionSetup Setup, string Text)[] Parameters =
    [
        (new([new DeflateOffer()], AcceptAsOffered),
            "Client offers (requestNoContextTakeover, requestMaxWindowBits): [(False, 0)] / server accept: [(False, 0)]"),
        (new([new DeflateOffer(RequestNoContextTakeover: true)], offers => AcceptRequesting(offers, noContextTakeover: true, windowBits: 0)),
            "Client offers: [(True, 0)] / server accept: [(True, 0)]"),
        (new([new DeflateOffer(RequestMaxWindowBits: 9)], offers => AcceptRequesting(offers, noContextTakeover: false, windowBits: 9)),
            "Client offers: [(False, 9)] / server accept: [(False, 9)]"),
        (new([new DeflateOffer(RequestMaxWindowBits: 15)], offers => AcceptRequesting(offers, noContextTakeover: false, windowBits: 15)),
            "Client offers: [(False, 15)] / server accept: [(False, 15)]"),
        (new([new DeflateOffer(RequestNoContextTakeover: true, RequestMaxWindowBits: 9)], offers => AcceptRequesting(offers, noContextTakeover: true, windowBits: 9)),
            "Client offers: [(True, 9)] / server accept: [(True, 9)]"),
        (new([new DeflateOffer(RequestNoContextTakeover: true, RequestMaxWindowBits: 15)], offers => AcceptRequesting(offers, noContextTakeover: true, windowBits: 15)),
            "Client offers: [(True, 15)] / server accept: [(True, 15)]"),
        (new([new DeflateOffer(RequestNoContextTakeover: true, RequestMaxWindowBits: 9), new DeflateOffer(RequestNoContextTakeover: true), new DeflateOffer()],
                offers => AcceptRequesting(offers, noContextTakeover: true, windowBits: 9)
                          ?? AcceptRequesting(offers, noContextTakeover: true, windowBits: 0)
                          ?? AcceptAsOffered(offers)),
            "Client offers: [(True, 9), (True, 0), (False, 0)] / server accept: [(True, 9), (True, 0), (False, 0)]"),
    ];

    /// <summary>Accepts the first offer, granting what it asks of the server and asking nothing of the client.</summary>
    private static DeflateAccept? AcceptAsOffered(IReadOnlyList<DeflateOffer> offers) =>
        offers.Count > 0 ? new DeflateAccept(offers[0]) : null;

    /// <summary>
    /// Accepts the first offer that lets the server ask for client_no_context_takeover and/or client_max_window_bits
    /// (RFC 7692 §7.1.1.2, §7.1.2.2), and asks for them; null when no offer allows it.
    /// </summary>
    private static DeflateAccept? AcceptRequesting(IReadOnlyList<DeflateOffer> offers, bool noContextTakeover, int windowBits)
    {
        foreach (var offer in offers)
        {
            if (noContextTakeover && !offer.AcceptNoContextTakeover) continue;
            if (windowBits != 0 && !offer.AcceptMaxWindowBits) continue;
            return new DeflateAccept(offer, noContextTakeover, windowBits);
        }
        return null;
    }
}
