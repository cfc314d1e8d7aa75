namespace Wirehub.Realtime;

/// <summary>The realtime layer: channels, presence, history and recovery over the <c>wirehub.v1</c> protocol.</summary>
internal static class AssemblyMarker
{
}
