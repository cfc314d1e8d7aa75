using System.Diagnostics.CodeAnalysis;

namespace Wirehub.ReferenceServer;

/// <summary>The command line shared with `wirehub echo`: <c>--port N --mode echo|broadcast</c>.</summary>
internal sealed record ServerArguments(int Port, ServerMode Mode)
{
    public static bool TryParse(string[] args, [NotNullWhen(true)] out ServerArguments? arguments, [NotNullWhen(false)] out string? error)
    {
        int port = 8080;
        ServerMode mode = ServerMode.Echo;
        arguments = null;
        for (int i = 0; i < args.Length; i++)
        {
            string name = args[i];
            string? value = i + 1 < args.Length ? args[i + 1] : null;
            switch (name)
            {
                case "--port" when value is not null && int.TryParse(value, out port) && port is > 0 and < 65536:
                    i++;
                    break;
                case "--mode" when value is "echo":
                    mode = ServerMode.Echo;
                    i++;
                    break;
                case "--mode" when value is "broadcast":
                    mode = ServerMode.Broadcast;
                    i++;
                    break;
                default:
                    error = $"'{name} {value}' was not understood; pass --port with a number from 1 to 65535 and --mode echo or broadcast.";
                    return false;
            }
        }

        arguments = new ServerArguments(port, mode);
        error = null;
        return true;
    }
}
