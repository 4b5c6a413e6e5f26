using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace FastMlp;

/// <summary>
/// The argument checks, one of each kind: the parameter name is the checked expression as written at the call
/// (<c>Guard.AtLeast(options.BatchSize, 1, "Batch size")</c> names "options.BatchSize"), the message says what the
/// value must be and what it was. A scalar check is a comparison or two inline; its message is built only when it
/// fails, in a method of its own that throws through <see cref="ThrowHelper"/>, so the callers (GEMM's among them) stay
/// small and the success path allocates nothing. The Each… checks loop over a span and name the first bad element.
/// </summary>
internal static class Guard
{
    /// <summary><paramref name="value"/> ≥ <paramref name="minimum"/>: "Batch size must be ≥ 1, but was 0."</summary>
    /// <param name="unit">Text after the bound: " epoch" gives "must be ≥ 1 epoch".</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AtLeast(long value, long minimum, string what, string unit = "", [CallerArgumentExpression(nameof(value))] string name = "")
    {
        if (value < minimum)
        {
            ThrowBound(value, "≥", minimum, what, unit, name);
        }
    }

    /// <summary><paramref name="value"/> ≤ <paramref name="maximum"/>: "Folds must be ≤ 3 (the row count), but was 4."</summary>
    /// <param name="unit">Text after the bound, as for <see cref="AtLeast"/>.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AtMost(long value, long maximum, string what, string unit = "", [CallerArgumentExpression(nameof(value))] string name = "")
    {
        if (value > maximum)
        {
            ThrowBound(value, "≤", maximum, what, unit, name);
        }
    }

    /// <summary><paramref name="low"/> ≤ value ≤ <paramref name="high"/>: "Thread count must be in [1, 1024], but was 0."</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Between(long value, long low, long high, string what, [CallerArgumentExpression(nameof(value))] string name = "")
    {
        if (value < low || value > high)
        {
            ThrowBetween(value, low, high, what, name);
        }
    }

    /// <summary>
    /// <paramref name="value"/> &gt; <paramref name="bound"/>, infinity included (NaN is not): "Divergence factor must be &gt; 1, but was 1."
    /// </summary>
    /// <param name="unit">Text after the bound: " (minRate)" names where it came from.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void GreaterThan(double value, double bound, string what, string unit = "", [CallerArgumentExpression(nameof(value))] string name = "")
    {
        if (!(value > bound))
        {
            ThrowGreaterThan(value, bound, what, unit, name);
        }
    }

    /// <summary>A finite number &gt; 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Positive(double value, string what, [CallerArgumentExpression(nameof(value))] string name = "")
    {
        if (!(value > 0) || !double.IsFinite(value))
        {
            ThrowFinite(value, ">", what, name);
        }
    }

    /// <summary>A finite number ≥ 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void NonNegative(double value, string what, [CallerArgumentExpression(nameof(value))] string name = "")
    {
        if (!(value >= 0) || !double.IsFinite(value))
        {
            ThrowFinite(value, "≥", what, name);
        }
    }

    /// <summary><paramref name="low"/> ≤ value &lt; <paramref name="high"/> (NaN is outside).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void InRange(double value, double low, double high, string what, [CallerArgumentExpression(nameof(value))] string name = "")
    {
        if (!(value >= low && value < high))
        {
            ThrowInRange(value, low, high, what, name);
        }
    }

    /// <summary>
    /// <paramref name="low"/> &lt; value &lt; <paramref name="high"/>, both ends excluded (NaN is outside):
    /// "The decision threshold must be strictly between 0 and 1, but was 1."
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void InRangeExclusive(double value, double low, double high, string what, [CallerArgumentExpression(nameof(value))] string name = "")
    {
        if (!(value > low && value < high))
        {
            ThrowInRangeExclusive(value, low, high, what, name);
        }
    }

    /// <summary>
    /// A named value of <typeparamref name="TEnum"/>: "7 is not a WeightPrecision value; valid: Full (0), Int8 (1)."
    /// For FastMlp's enums (int values 0…n−1) one unsigned comparison, cheap enough for GEMM's path argument.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Defined<TEnum>(TEnum value, [CallerArgumentExpression(nameof(value))] string name = "")
        where TEnum : struct, Enum
    {
        if (!EnumValues<TEnum>.IsDefined(value))
        {
            ThrowUndefined(value, name);
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

    /// <summary>
    /// Every value a finite number ≥ 0 (weights); the first that is not is named by its index after
    /// <paramref name="element"/>, and <paramref name="plural"/> says what the values are:
    /// "Sample weight of row 3 is -1; weights must be finite and ≥ 0."
    /// </summary>
    public static void EachNonNegative<T>(ReadOnlySpan<T> values, string element, string plural, [CallerArgumentExpression(nameof(values))] string name = "")
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!(values[i] >= T.Zero) || !T.IsFinite(values[i]))
            {
                ThrowHelper.Argument(name, $"{element} {i} is {values[i]}; {plural} must be finite and ≥ 0.");
            }
        }
    }

    /// <summary>
    /// <see cref="EachNonNegative{T}(ReadOnlySpan{T}, string, string, string)"/> for values by name, the first bad one named
    /// by its key: "The weight of class 'mid' is NaN; class weights must be finite and ≥ 0."
    /// </summary>
    public static void EachNonNegative(IEnumerable<KeyValuePair<string, double>> values, string element, string plural, [CallerArgumentExpression(nameof(values))] string name = "")
    {
        foreach ((string key, double value) in values)
        {
            if (!(value >= 0) || !double.IsFinite(value))
            {
                ThrowHelper.Argument(name, $"{element} '{key}' is {value}; {plural} must be finite and ≥ 0.");
            }
        }
    }

    /// <summary>
    /// Every value a finite number &gt; 0, named as by <see cref="EachNonNegative{T}(ReadOnlySpan{T}, string, string, string)"/>:
    /// "Fraction 1 is 0; fractions must be finite and &gt; 0."
    /// </summary>
    public static void EachPositive<T>(ReadOnlySpan<T> values, string element, string plural, [CallerArgumentExpression(nameof(values))] string name = "")
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!(values[i] > T.Zero) || !T.IsFinite(values[i]))
            {
                ThrowHelper.Argument(name, $"{element} {i} is {values[i]}; {plural} must be finite and > 0.");
            }
        }
    }

    /// <summary>
    /// Every value ≥ <paramref name="minimum"/>; the first that is not is named by its index after
    /// <paramref name="element"/>: "Layer size 1 must be ≥ 1, but was 0."
    /// </summary>
    public static void EachAtLeast(ReadOnlySpan<int> values, int minimum, string element, [CallerArgumentExpression(nameof(values))] string name = "")
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (values[i] < minimum)
            {
                ThrowHelper.ArgumentOutOfRange(name, $"{element} {i} must be ≥ {minimum}, but was {values[i]}.");
            }
        }
    }

    /// <summary>
    /// Every value an index in [0, <paramref name="count"/>); the first that is not is named by its index after
    /// <paramref name="element"/>, and <paramref name="range"/> says what is indexed:
    /// "Label of row 1 is 3, outside the class range [0, 2]."
    /// </summary>
    public static void EachIndex(ReadOnlySpan<int> values, int count, string element, string range, [CallerArgumentExpression(nameof(values))] string name = "")
    {
        for (int i = 0; i < values.Length; i++)
        {
            if ((uint)values[i] >= (uint)count)
            {
                ThrowHelper.ArgumentOutOfRange(name, $"{element} {i} is {values[i]}, outside {range} [0, {count - 1}].");
            }
        }
    }

    [DoesNotReturn, MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowBound(long value, string relation, long bound, string what, string unit, string name) =>
        ThrowHelper.ArgumentOutOfRange(name, $"{what} must be {relation} {bound}{unit}, but was {value}.");

    [DoesNotReturn, MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowBetween(long value, long low, long high, string what, string name) =>
        ThrowHelper.ArgumentOutOfRange(name, $"{what} must be in [{low}, {high}], but was {value}.");

    [DoesNotReturn, MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowGreaterThan(double value, double bound, string what, string unit, string name) =>
        ThrowHelper.ArgumentOutOfRange(name, $"{what} must be > {bound}{unit}, but was {value}.");

    [DoesNotReturn, MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowFinite(double value, string relation, string what, string name) =>
        ThrowHelper.ArgumentOutOfRange(name, $"{what} must be a finite number {relation} 0, but was {value}.");

    [DoesNotReturn, MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowInRange(double value, double low, double high, string what, string name) =>
        ThrowHelper.ArgumentOutOfRange(name, $"{what} must be in [{low}, {high}), but was {value}.");

    [DoesNotReturn, MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowInRangeExclusive(double value, double low, double high, string what, string name) =>
        ThrowHelper.ArgumentOutOfRange(name, $"{what} must be strictly between {low} and {high}, but was {value}.");

    [DoesNotReturn, MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowUndefined<TEnum>(TEnum value, string name)
        where TEnum : struct, Enum
    {
        string type = typeof(TEnum).Name;
        string article = "AEIOU".Contains(type[0], StringComparison.Ordinal) ? "an" : "a";
        string valid = string.Join(", ", Enum.GetValues<TEnum>().Select(v => $"{v} ({v:D})"));
        ThrowHelper.ArgumentOutOfRange(name, $"{value:D} is not {article} {type} value; valid: {valid}.");
    }

    /// <summary>Which values of <typeparamref name="TEnum"/> are defined, worked out once per enum.</summary>
    private static class EnumValues<TEnum>
        where TEnum : struct, Enum
    {
        /// <summary>n when the enum is int-sized with the values 0…n−1 (every FastMlp enum), else 0.</summary>
        private static readonly uint SequentialCount = CountSequential();

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static bool IsDefined(TEnum value) =>
            Unsafe.SizeOf<TEnum>() == sizeof(int) && SequentialCount > 0
                ? Unsafe.As<TEnum, uint>(ref value) < SequentialCount
                : Enum.IsDefined(value);

        private static uint CountSequential()
        {
            if (Unsafe.SizeOf<TEnum>() != sizeof(int))
            {
                return 0;
            }
            TEnum[] values = Enum.GetValues<TEnum>();
            for (int i = 0; i < values.Length; i++)
            {
                if (Unsafe.As<TEnum, int>(ref values[i]) != i)
                {
                    return 0;
                }
            }
            return (uint)values.Length;
        }
    }
}
