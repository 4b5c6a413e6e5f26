using System.Runtime.CompilerServices;

namespace FastMlp;

/// <summary>
/// The argument checks, one of each kind: the parameter name is the checked expression as written at the call
/// (<c>Guard.AtLeast(options.BatchSize, 1, "Batch size")</c> names "options.BatchSize"), the message says what the
/// value must be and what it was. Throws through <see cref="ThrowHelper"/>, so the callers stay small.
/// </summary>
internal static class Guard
{
    /// <summary><paramref name="value"/> ≥ <paramref name="minimum"/>: "Batch size must be ≥ 1, but was 0."</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AtLeast(long value, long minimum, string what, string unit = "", [CallerArgumentExpression(nameof(value))] string name = "")
    {
        if (value < minimum)
        {
            ThrowHelper.ArgumentOutOfRange(name, $"{what} must be ≥ {minimum}{unit}, but was {value}.");
        }
    }

    /// <summary>A finite number &gt; 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Positive(double value, string what, [CallerArgumentExpression(nameof(value))] string name = "")
    {
        if (!(value > 0) || !double.IsFinite(value))
        {
            ThrowHelper.ArgumentOutOfRange(name, $"{what} must be a finite number > 0, but was {value}.");
        }
    }

    /// <summary>A finite number ≥ 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void NonNegative(double value, string what, [CallerArgumentExpression(nameof(value))] string name = "")
    {
        if (!(value >= 0) || !double.IsFinite(value))
        {
            ThrowHelper.ArgumentOutOfRange(name, $"{what} must be a finite number ≥ 0, but was {value}.");
        }
    }

    /// <summary><paramref name="low"/> ≤ value &lt; <paramref name="high"/> (NaN is outside).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void InRange(double value, double low, double high, string what, [CallerArgumentExpression(nameof(value))] string name = "")
    {
        if (!(value >= low && value < high))
        {
            ThrowHelper.ArgumentOutOfRange(name, $"{what} must be in [{low}, {high}), but was {value}.");
        }
    }

    /// <summary>
    /// Every value finite; the first that is not is named by row and column of a row-major table
    /// <paramref name="width"/> wide ("targets at row 3, column 1 is NaN"), or by index in a single row ("biases[2] is NaN").
    /// </summary>
    public static void Finite<T>(ReadOnlySpan<T> values, int width, [CallerArgumentExpression(nameof(values))] string name = "")
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!T.IsFinite(values[i]))
            {
                string where = width >= values.Length ? $"[{i}]" : $" at row {i / width}, column {i % width}";
                ThrowHelper.Argument(name, $"{name}{where} is {values[i]}; values must be finite.");
            }
        }
    }
}
