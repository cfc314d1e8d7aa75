// The engine's stack buffers (control frame payloads, close payloads) are always written before they are read, so
// zeroing them on every call is wasted work on the hot receive path.
[module: System.Runtime.CompilerServices.SkipLocalsInit]
