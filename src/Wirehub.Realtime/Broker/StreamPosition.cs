namespace Wirehub.Realtime.Broker;

/// <summary>
/// A place in a channel's stream: the serial of a message and the epoch of the stream that assigned it. A position is
/// only comparable with positions of the same epoch; the epoch changes whenever the stored stream is lost or recreated.
/// </summary>
/// <param name="Serial">The serial of the last message (0 for an empty stream).</param>
/// <param name="Epoch">The opaque identity of the stream that assigned the serial.</param>
public readonly record struct StreamPosition(long Serial, string Epoch);
