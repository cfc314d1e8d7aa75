namespace Wirehub.Interop.Tests.Payloads;

/// <summary>A temporary file holding a payload for a peer to send (too large to pass as a command); deleted on dispose.</summary>
internal sealed class PayloadFile : IDisposable
{
    public PayloadFile(byte[] payload)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"wirehub-interop-{Guid.NewGuid():N}.bin");
        File.WriteAllBytes(Path, payload);
    }

    public string Path { get; }

    public void Dispose()
    {
        try
        {
            File.Delete(Path);
        }
        catch (IOException)
        {
            // Left in the temp folder; harmless.
        }
    }
}
