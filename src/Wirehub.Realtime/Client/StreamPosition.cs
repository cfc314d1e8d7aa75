namespace Wirehub.Realtime.Client;

/// <summary>A position in a channel's stream: the serial of a message and the epoch of the stream it belongs to.</summary>
/// <param name="Serial">The message's serial (1, 2, 3, ...); 0 before the first message.</param>
/// <param name="Epoch">Opaque; changes whenever the channel's stored stream is lost or recreated.</param>
public readonly record struct StreamPosition(long Serial, string Epoch);
