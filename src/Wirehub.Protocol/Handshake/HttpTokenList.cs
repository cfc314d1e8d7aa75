namespace Wirehub.Protocol;

/// <summary>
/// A comma-separated header list such as <c>Connection: keep-alive, Upgrade</c> (RFC 9110 §5.6.1): elements separated
/// by commas, each with optional whitespace around it, empty elements allowed and ignored. Walked in place, without
/// allocating.
/// </summary>
internal static class HttpTokenList
{
    /// <summary>True when one element of <paramref name="list"/> equals <paramref name="token"/>.</summary>
    public static bool Contains(ReadOnlySpan<char> list, ReadOnlySpan<char> token, StringComparison comparison)
    {
        foreach (var element in Enumerate(list))
        {
            if (element.Equals(token, comparison))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The non-empty elements of <paramref name="list"/>, trimmed of optional whitespace.</summary>
    public static Enumerator Enumerate(ReadOnlySpan<char> list) => new(list);

    /// <summary>Walks the elements of a list without allocating.</summary>
    public ref struct Enumerator
    {
        private ReadOnlySpan<char> remaining;
        private bool done;

        internal Enumerator(ReadOnlySpan<char> list)
        {
            remaining = list;
            done = false;
            Current = default;
        }

        /// <summary>The current element, without surrounding whitespace.</summary>
        public ReadOnlySpan<char> Current { get; private set; }

        /// <summary>Returns this enumerator, so that it can be used in a foreach loop.</summary>
        public readonly Enumerator GetEnumerator() => this;

        /// <summary>Advances to the next non-empty element.</summary>
        public bool MoveNext()
        {
            while (!done)
            {
                var comma = remaining.IndexOf(',');
                ReadOnlySpan<char> element;
                if (comma < 0)
                {
                    element = remaining;
                    remaining = default;
                    done = true;
                }
                else
                {
                    element = remaining[..comma];
                    remaining = remaining[(comma + 1)..];
                }

                element = HttpFieldSyntax.TrimWhitespace(element);
                if (!element.IsEmpty)
                {
                    Current = element;
                    return true;
                }
            }

            return false;
        }
    }
}
