namespace Wirehub.Cli.Configuration;

/// <summary>Where channel streams live.</summary>
internal enum BrokerKind
{
    /// <summary>In this process: one node, nothing survives a restart.</summary>
    Memory,

    /// <summary>In Redis, shared by every node configured with the same connection string.</summary>
    Redis,
}
