using System.Buffers.Binary;
using Wirehub.Protocol;

namespace Wirehub.WebSockets.Tests.Support;

/// <summary>Byte streams for fuzzing the engine: pure noise, frames with random header bits, and mutated valid traffic.</summary>
internal static class FuzzInput
{
    public static byte[] Noise(Random random)
    {
        var bytes = new byte[random.Next(0, 300)];
        random.NextBytes(bytes);
        return bytes;
    }

    /// <summary>A run of frames whose every header field is chosen at random, mostly near the valid ones.</summary>
    public static byte[] RandomFrames(Random random, bool peerMasks)
    {
        var stream = new List<byte>();
        int count = random.Next(1, 8);
        for (int i = 0; i < count; i++)
        {
            var opcode = random.Next(10) switch
            {
                < 2 => Opcode.Text,
                2 => Opcode.Binary,
                3 => Opcode.Continuation,
                4 => Opcode.Ping,
                5 => Opcode.Pong,
                6 => Opcode.Close,
                _ => (Opcode)random.Next(16),
            };
            bool masked = random.Next(20) == 0 ? !peerMasks : peerMasks;
            var payload = Payload(random, opcode);
            stream.AddRange(FrameBytes.Build(opcode, payload, masked, fin: random.Next(4) != 0, rsv1: random.Next(8) == 0,
                rsv2: random.Next(40) == 0, rsv3: random.Next(40) == 0, maskKey: random.Next()));
        }
        if (random.Next(4) == 0) stream.AddRange(LyingLength(random, peerMasks));
        return stream.ToArray();
    }

    /// <summary>Valid traffic (fragments, controls, a close) with one to three bytes damaged, inserted, removed or cut.</summary>
    public static byte[] MutatedTraffic(Random random, bool peerMasks)
    {
        var stream = new List<byte>();
        stream.AddRange(FrameBytes.Text("hello wörld", peerMasks));
        stream.AddRange(FrameBytes.Build(Opcode.Binary, RandomBytes(random, random.Next(0, 400)), peerMasks, fin: false));
        stream.AddRange(FrameBytes.Build(Opcode.Ping, RandomBytes(random, random.Next(0, 20)), peerMasks));
        stream.AddRange(FrameBytes.Build(Opcode.Continuation, RandomBytes(random, random.Next(0, 50)), peerMasks));
        stream.AddRange(FrameBytes.Text("€ and 𝄞", peerMasks));
        stream.AddRange(FrameBytes.Close(CloseStatus.NormalClosure, "bye", peerMasks));
        int mutations = random.Next(1, 4);
        for (int i = 0; i < mutations && stream.Count > 0; i++)
        {
            int at = random.Next(stream.Count);
            switch (random.Next(5))
            {
                case 0: stream[at] ^= (byte)(1 << random.Next(8)); break;
                case 1: stream[at] = (byte)random.Next(256); break;
                case 2: stream.Insert(at, (byte)random.Next(256)); break;
                case 3: stream.RemoveAt(at); break;
                default: stream.RemoveRange(at, stream.Count - at); break;
            }
        }
        return stream.ToArray();
    }

    /// <summary>Splits a stream into one to five reads at random boundaries.</summary>
    public static List<byte[]> RandomReads(Random random, byte[] stream)
    {
        var cuts = Enumerable.Range(0, random.Next(0, 5)).Select(_ => random.Next(stream.Length + 1)).Append(0).Append(stream.Length)
            .Distinct().Order().ToArray();
        var pieces = new List<byte[]>();
        for (int i = 1; i < cuts.Length; i++) pieces.Add(stream[cuts[i - 1]..cuts[i]]);
        return pieces;
    }

    private static byte[] Payload(Random random, Opcode opcode)
    {
        if (opcode == Opcode.Close && random.Next(2) == 0)
        {
            var payload = new byte[2 + random.Next(0, 10)];
            random.NextBytes(payload);
            BinaryPrimitives.WriteUInt16BigEndian(payload, (ushort)random.Next(900, 5100));
            return payload;
        }
        if (opcode == Opcode.Text && random.Next(2) == 0) return RawPeer.Utf8(new string('ä', random.Next(0, 60)));
        return RandomBytes(random, random.Next(10) == 0 ? random.Next(126, 5000) : random.Next(0, 130));
    }

    /// <summary>A header announcing far more payload than follows, with 16- or 64-bit lengths, sometimes with the top bit set.</summary>
    private static byte[] LyingLength(Random random, bool masked)
    {
        var header = new List<byte> { (byte)(0x80 | random.Next(16)) };
        if (random.Next(2) == 0)
        {
            header.Add((byte)((masked ? 0x80 : 0) | 126));
            header.AddRange([(byte)random.Next(256), (byte)random.Next(256)]);
        }
        else
        {
            header.Add((byte)((masked ? 0x80 : 0) | 127));
            var length = new byte[8];
            random.NextBytes(length);
            header.AddRange(length);
        }
        if (masked) header.AddRange(RandomBytes(random, 4));
        header.AddRange(RandomBytes(random, random.Next(0, 50)));
        return header.ToArray();
    }

    private static byte[] RandomBytes(Random random, int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }
}
