namespace Wirehub.Protocol.Tests.Masking;

public class MaskKeyGeneratorTests
{
    private const int Count = 1000;

    [Fact]
    public void Keys_do_not_repeat_across_many_batches()
    {
        int[] keys = [.. Enumerable.Range(0, Count).Select(_ => MaskKeyGenerator.Next())];

        // 1000 random 32-bit keys collide with probability about 1e-4; a repeating or reused buffer gives many repeats.
        Assert.InRange(keys.Distinct().Count(), Count - 2, Count);
    }

    [Fact]
    public void Every_bit_of_the_key_varies()
    {
        int all = 0;
        int none = -1;
        for (int i = 0; i < Count; i++)
        {
            int key = MaskKeyGenerator.Next();
            all |= key;
            none &= key;
        }

        Assert.Equal(-1, all);
        Assert.Equal(0, none);
    }

    [Fact]
    public void Threads_draw_different_keys()
    {
        int[] first = new int[Count];
        int[] second = new int[Count];

        var threadA = new Thread(() => { for (int i = 0; i < Count; i++) first[i] = MaskKeyGenerator.Next(); });
        var threadB = new Thread(() => { for (int i = 0; i < Count; i++) second[i] = MaskKeyGenerator.Next(); });
        threadA.Start();
        threadB.Start();
        threadA.Join();
        threadB.Join();

        Assert.InRange(first.Concat(second).Distinct().Count(), 2 * Count - 2, 2 * Count);
    }
}
