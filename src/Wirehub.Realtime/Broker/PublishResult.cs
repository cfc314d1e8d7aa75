namespace Wirehub.Realtime.Broker;

/// <summary>The outcome of a publish: the message as stored, and whether it was a retry of one already published.</summary>
/// <param name="Message">The stored message (the original one for a duplicate).</param>
/// <param name="Duplicate">True when the message id was already published within the idempotency window.</param>
public readonly record struct PublishResult(ChannelMessage Message, bool Duplicate);
