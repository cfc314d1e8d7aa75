using System.Diagnostics;
using System.Text;

namespace Wirehub.Conformance.Tests.Engine;

/// <summary>
/// A bounded, timestamped trace of what went over the wire and which timers fired, printed with a failed verdict
/// so a failure can be read without rerunning. It keeps the first and the last entries (how a case starts and how
/// it ends); bulk cases switch frame entries off while they stream data.
/// </summary>
internal sealed class WireLog
{
    private const int HeadLines = 100;
    private const int TailLines = 60;

    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<string> _head = [];
    private readonly Queue<string> _tail = new();
    private int _dropped;

    public bool Enabled { get; set; } = true;

    public void Add(string line) => Append(line, force: false);

    /// <summary>Entries that are not frames (timers, TCP events) are logged even while frame logging is off.</summary>
    public void AddAlways(string line) => Append(line, force: true);

    private void Append(string line, bool force)
    {
        if (!Enabled && !force) return;
        string entry = $"{_clock.Elapsed.TotalMilliseconds,8:F1} ms  {line}";
        lock (_head)
        {
            if (_head.Count < HeadLines)
            {
                _head.Add(entry);
                return;
            }
            _tail.Enqueue(entry);
            if (_tail.Count > TailLines)
            {
                _tail.Dequeue();
                _dropped++;
            }
        }
    }

    public override string ToString()
    {
        lock (_head)
        {
            var text = new StringBuilder();
            foreach (var line in _head) text.Append("    ").AppendLine(line);
            if (_dropped > 0) text.Append("    ... ").Append(_dropped).AppendLine(" entries not kept ...");
            foreach (var line in _tail) text.Append("    ").AppendLine(line);
            return text.ToString();
        }
    }
}
