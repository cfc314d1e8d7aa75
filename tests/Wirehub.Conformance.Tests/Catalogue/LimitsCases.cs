using static Wirehub.Conformance.Tests.Catalogue.CaseFactory;

namespace Wirehub.Conformance.Tests.Catalogue;

/// <summary>Section 9, limits and performance: large messages, many fragments, small chops and many round trips.</summary>
internal static class LimitsCases
{
    private const int KiB = 1024, MiB = 1024 * 1024;
    private static readonly byte[] TextPattern = Utf8("BAsd7&jh23");
    private static readonly byte[] BinaryPattern = Hex("00FE23FAF0");

    public static IEnumerable<CaseDefinition> All()
    {
        (int Length, double Wait)[] single = [(64 * KiB, 10), (256 * KiB, 10), (1 * MiB, 100), (4 * MiB, 100), (8 * MiB, 100), (16 * MiB, 100)];
        for (int i = 0; i < single.Length; i++)
        {
            var (length, wait) = single[i];
            yield return Large($"9.1.{i + 1}", $"Send text message with payload of length {Size(length)}.", binary: false, TextPattern, length, null, null, wait);
        }
        double[] binaryWaits = [10, 10, 10, 10, 100, 100];
        for (int i = 0; i < single.Length; i++)
            yield return Large($"9.2.{i + 1}", $"Send binary message with payload of length {Size(single[i].Length)}.", binary: true, BinaryPattern, single[i].Length, null, null, binaryWaits[i]);

        int[] fragmentSizes = [64, 256, 1 * KiB, 4 * KiB, 16 * KiB, 64 * KiB, 256 * KiB, 1 * MiB, 4 * MiB];
        for (int i = 0; i < fragmentSizes.Length; i++)
            yield return Large($"9.3.{i + 1}", $"Send fragmented text message with payload of length 4M, in fragments of {Size(fragmentSizes[i])}.",
                binary: false, "*"u8.ToArray(), 4 * MiB, fragmentSizes[i], null, 100);
        for (int i = 0; i < fragmentSizes.Length; i++)
            yield return Large($"9.4.{i + 1}", $"Send fragmented binary message with payload of length 4M, in fragments of {Size(fragmentSizes[i])}.",
                binary: true, i == 0 ? [0xFE] : "*"u8.ToArray(), 4 * MiB, fragmentSizes[i], null, 100);

        int[] chops = [64, 128, 256, 512, 1024, 2048];
        for (int i = 0; i < chops.Length; i++)
            yield return Large($"9.5.{i + 1}", $"Send text message with payload of length 1M, written to TCP in chops of {chops[i]} octets.",
                binary: false, TextPattern, 1 * MiB, null, chops[i], 1000);
        for (int i = 0; i < chops.Length; i++)
            yield return Large($"9.6.{i + 1}", $"Send binary message with payload of length 1M, written to TCP in chops of {chops[i]} octets.",
                binary: true, BinaryPattern, 1 * MiB, null, chops[i], 1000);

        (int Length, int Count, double Wait)[] roundTrips = [(0, 1000, 60), (16, 1000, 60), (64, 1000, 60), (256, 1000, 120), (1024, 1000, 240), (4096, 1000, 480)];
        foreach (bool binary in new[] { false, true })
        {
            for (int i = 0; i < roundTrips.Length; i++)
            {
                var (length, count, wait) = roundTrips[i];
                string kind = binary ? "binary" : "text";
                yield return new CaseDefinition($"9.{(binary ? 8 : 7)}.{i + 1}",
                    $"Send {count} {kind} messages of payload size {length}, each after the previous echo (round-trip time).",
                    $"Receive every {kind} message echoed with the payload as sent. Timeout case after {wait} secs.",
                    () => new RoundTripCase(binary, length, count, wait));
            }
        }
    }

    private static CaseDefinition Large(string id, string description, bool binary, byte[] pattern, int length, int? fragment, int? chop, double wait) =>
        new(id, description, $"Receive the {(binary ? "binary" : "text")} message echoed with the payload as sent.",
            () => new LargeMessageCase(binary, pattern, length, fragment, chop, wait), Heavy: true);

    private static string Size(int bytes) => bytes >= MiB ? $"{bytes / MiB}M" : bytes >= KiB ? $"{bytes / KiB}k" : bytes.ToString();
}
