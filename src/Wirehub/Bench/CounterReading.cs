namespace Wirehub.Cli.Bench;

/// <summary>
/// The running totals a scenario exposes to its sampler, read once a second from counters its connections keep
/// anyway: reading them costs the hot loop nothing.
/// </summary>
/// <param name="Connections">Connections open now.</param>
/// <param name="Messages">The scenario's unit counted so far: round trips, deliveries, handshakes, connections opened.</param>
/// <param name="Bytes">Payload bytes of those messages so far.</param>
/// <param name="Errors">Errors so far, of every kind.</param>
internal readonly record struct CounterReading(int Connections, long Messages, long Bytes, long Errors);
