using System.Diagnostics.CodeAnalysis;

namespace Wirehub.Protocol;

/// <summary>
/// The parameters of one permessage-deflate element of a <c>Sec-WebSocket-Extensions</c> header, checked against
/// RFC 7692 §7.1: only the four defined names, each at most once, flags without values, window sizes 8..15 written
/// without leading zeros.
/// </summary>
/// <param name="ServerNoContextTakeover">server_no_context_takeover was present.</param>
/// <param name="ClientNoContextTakeover">client_no_context_takeover was present.</param>
/// <param name="ServerMaxWindowBits">The server_max_window_bits value, or null when absent.</param>
/// <param name="HasClientMaxWindowBits">client_max_window_bits was present, with or without a value.</param>
/// <param name="ClientMaxWindowBits">The client_max_window_bits value, or null when absent or given without a value.</param>
internal readonly record struct PerMessageDeflateParameterSet(bool ServerNoContextTakeover, bool ClientNoContextTakeover,
    int? ServerMaxWindowBits, bool HasClientMaxWindowBits, int? ClientMaxWindowBits)
{
    /// <summary>Reads and checks the parameters of one element.</summary>
    /// <param name="parameters">The element's parameters.</param>
    /// <param name="isResponse">In a response client_max_window_bits needs a value; in an offer it may go without
    /// (RFC 7692 §7.1.2.2).</param>
    /// <param name="set">The parameters read.</param>
    /// <param name="problem">What was wrong, when the method returns false.</param>
    public static bool TryRead(IReadOnlyList<ExtensionParameter> parameters, bool isResponse,
        out PerMessageDeflateParameterSet set, [NotNullWhen(false)] out string? problem)
    {
        set = default;
        bool serverNoContextTakeover = false, clientNoContextTakeover = false, hasClientMaxWindowBits = false;
        int? serverMaxWindowBits = null, clientMaxWindowBits = null;
        bool seenServerMaxWindowBits = false;

        foreach (ExtensionParameter parameter in parameters)
        {
            string name = parameter.Name;
            if (Is(name, PerMessageDeflateParameterNames.ServerNoContextTakeover))
            {
                if (!TryReadFlag(parameter, ref serverNoContextTakeover, out problem))
                {
                    return false;
                }
            }
            else if (Is(name, PerMessageDeflateParameterNames.ClientNoContextTakeover))
            {
                if (!TryReadFlag(parameter, ref clientNoContextTakeover, out problem))
                {
                    return false;
                }
            }
            else if (Is(name, PerMessageDeflateParameterNames.ServerMaxWindowBits))
            {
                // RFC 7692 §7.1.2.1: the value is required in offers and responses alike.
                if (!TryReadWindowBits(parameter, ref seenServerMaxWindowBits, valueRequired: true, out serverMaxWindowBits,
                        out problem))
                {
                    return false;
                }
            }
            else if (Is(name, PerMessageDeflateParameterNames.ClientMaxWindowBits))
            {
                if (!TryReadWindowBits(parameter, ref hasClientMaxWindowBits, valueRequired: isResponse,
                        out clientMaxWindowBits, out problem))
                {
                    return false;
                }
            }
            else
            {
                problem = $"the parameter '{name}' is not defined for permessage-deflate (RFC 7692 §7.1)";
                return false;
            }
        }

        set = new PerMessageDeflateParameterSet(serverNoContextTakeover, clientNoContextTakeover, serverMaxWindowBits,
            hasClientMaxWindowBits, clientMaxWindowBits);
        problem = null;
        return true;
    }

    private static bool Is(string name, string defined) => string.Equals(name, defined, StringComparison.OrdinalIgnoreCase);

    private static bool TryReadFlag(ExtensionParameter parameter, ref bool seen, [NotNullWhen(false)] out string? problem)
    {
        if (seen)
        {
            problem = $"the parameter '{parameter.Name}' appears more than once (RFC 7692 §7)";
            return false;
        }

        if (parameter.Value is not null)
        {
            problem = $"the parameter '{parameter.Name}' takes no value but has '{parameter.Value}' (RFC 7692 §7.1.1)";
            return false;
        }

        seen = true;
        problem = null;
        return true;
    }

    private static bool TryReadWindowBits(ExtensionParameter parameter, ref bool seen, bool valueRequired,
        out int? bits, [NotNullWhen(false)] out string? problem)
    {
        bits = null;
        if (seen)
        {
            problem = $"the parameter '{parameter.Name}' appears more than once (RFC 7692 §7)";
            return false;
        }

        seen = true;
        if (parameter.Value is null)
        {
            problem = valueRequired
                ? $"the parameter '{parameter.Name}' needs a value from 8 to 15 (RFC 7692 §7.1.2)"
                : null;
            return !valueRequired;
        }

        // A decimal integer from 8 to 15 without leading zeros (RFC 7692 §7.1.2.1, §7.1.2.2).
        int? value = parameter.Value switch
        {
            "8" => 8, "9" => 9, "10" => 10, "11" => 11, "12" => 12, "13" => 13, "14" => 14, "15" => 15,
            _ => null,
        };
        if (value is null)
        {
            problem = $"the parameter '{parameter.Name}' has the value '{parameter.Value}', but it must be a number " +
                      "from 8 to 15 without leading zeros (RFC 7692 §7.1.2)";
            return false;
        }

        bits = value;
        problem = null;
        return true;
    }
}
