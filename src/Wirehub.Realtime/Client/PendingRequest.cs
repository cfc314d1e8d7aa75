using System.Text.Json;

namespace Wirehub.Realtime.Client;

/// <summary>A request waiting for its answer, kept across reconnects until answered, timed out or the client closes.</summary>
internal sealed class PendingRequest(string type, Action<Utf8JsonWriter>? writeFields, ReconnectBehaviour onReconnect)
{
    /// <summary>The wire <c>id</c>: unique for the client's lifetime, so it stays valid when the request is sent again.</summary>
    public long Id { get; set; }

    public string Type { get; } = type;

    /// <summary>Writes the fields after <c>type</c> and <c>id</c>.</summary>
    public Action<Utf8JsonWriter>? WriteFields { get; } = writeFields;

    public ReconnectBehaviour OnReconnect { get; } = onReconnect;

    /// <summary>Runs on the receive loop before any later frame is read, so stream state changes in wire order.</summary>
    public Action<JsonElement>? OnReply { get; init; }

    /// <summary>Runs on the receive loop when the server answers with an error, or the caller stops waiting.</summary>
    public Action<Exception>? OnError { get; init; }

    public TaskCompletionSource<JsonElement> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>For requests the client makes on its own and nobody awaits: a failure is expected, not unobserved.</summary>
    public PendingRequest Unawaited()
    {
        Completion.Task.ContinueWith(static t => _ = t.Exception, CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return this;
    }
}

/// <summary>What happens to an unanswered request when the connection is replaced.</summary>
internal enum ReconnectBehaviour
{
    /// <summary>Sent again on the new connection (publishes keep their messageId, so they are never duplicated).</summary>
    Resend,
    /// <summary>Completed without an answer: the reconnect itself achieves or supersedes it.</summary>
    CompleteWithoutAnswer,
}
