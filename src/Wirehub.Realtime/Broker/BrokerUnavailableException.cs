namespace Wirehub.Realtime.Broker;

/// <summary>The broker cannot be reached; the operation had no effect and may be retried.</summary>
public sealed class BrokerUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public BrokerUnavailableException(string message, Exception? inner = null) : base(message, inner) { }
}
