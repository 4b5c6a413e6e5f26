using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace FastMlp;

/// <summary>
/// Throw sites kept out of line so that hot methods stay small and inlinable.
/// </summary>
internal static class ThrowHelper
{
    [DoesNotReturn, MethodImpl(MethodImplOptions.NoInlining)]
    public static void ArgumentOutOfRange(string paramName, string message) =>
        throw new ArgumentOutOfRangeException(paramName, message);

    [DoesNotReturn, MethodImpl(MethodImplOptions.NoInlining)]
    public static void Argument(string paramName, string message) =>
        throw new ArgumentException(message, paramName);

    [DoesNotReturn, MethodImpl(MethodImplOptions.NoInlining)]
    public static void InvalidOperation(string message) =>
        throw new InvalidOperationException(message);

    [DoesNotReturn, MethodImpl(MethodImplOptions.NoInlining)]
    public static void ObjectDisposed(string name) =>
        throw new ObjectDisposedException(name);

    [DoesNotReturn, MethodImpl(MethodImplOptions.NoInlining)]
    public static void NotSupportedType(Type type) =>
        throw new NotSupportedException($"FastMlp supports float and double elements, not {type.Name}.");
}
