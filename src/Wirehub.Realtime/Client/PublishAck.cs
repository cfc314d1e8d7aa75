namespace Wirehub.Realtime.Client;

/// <summary>The server's acknowledgement of a publish: where the message landed in the channel's stream.</summary>
/// <param name="Channel">The channel published to.</param>
/// <param name="Serial">The message's serial.</param>
/// <param name="Epoch">The stream's epoch.</param>
/// <param name="MessageId">The message id the publish carried (generated when none was given).</param>
public sealed record PublishAck(string Channel, long Serial, string Epoch, string MessageId);
