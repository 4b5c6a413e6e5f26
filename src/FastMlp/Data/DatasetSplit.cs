namespace FastMlp;

/// <summary>Seeded N-way partitions of row indices, plain or stratified by label.</summary>
internal static class DatasetSplit
{
    public static int[][] Partition(int rows, int[]? labels, int classCount, int seed, double[] fractions, bool stratifyWithoutLabels)
    {
        ArgumentNullException.ThrowIfNull(fractions);
        if (stratifyWithoutLabels)
        {
            ThrowHelper.Argument("stratify", "A stratified split needs class labels; this is a regression dataset.");
        }
        if (fractions.Length < 2)
        {
            ThrowHelper.Argument(nameof(fractions), $"A split needs at least two fractions, but {fractions.Length} were given.");
        }
        Guard.EachPositive<double>(fractions, "Fraction", "fractions");
        double total = 0;
        foreach (double fraction in fractions)
        {
            total += fraction;
        }
        if (Math.Abs(total - 1) > 1e-9)
        {
            ThrowHelper.Argument(nameof(fractions), $"Fractions must sum to 1 (±1e-9), but they sum to {total:R}.");
        }

        var random = new Random(seed);
        var parts = new List<int>[fractions.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            parts[i] = [];
        }
        if (labels is null)
        {
            int[] order = Permutation(rows, random);
            Cut(order, fractions, parts);
        }
        else
        {
            var byClass = new List<int>[classCount];
            for (int c = 0; c < classCount; c++)
            {
                byClass[c] = [];
            }
            for (int r = 0; r < rows; r++)
            {
                byClass[labels[r]].Add(r);
            }
            foreach (List<int> members in byClass)
            {
                int[] order = [.. members];
                random.Shuffle(order);
                Cut(order, fractions, parts);
            }
        }

        var result = new int[parts.Length][];
        for (int i = 0; i < parts.Length; i++)
        {
            if (parts[i].Count == 0)
            {
                ThrowEmptyPart(i, fractions, rows, labels, classCount);
            }
            result[i] = [.. parts[i]];
            // Stratified parts are filled class by class: shuffle so batches mix classes.
            if (labels is not null)
            {
                random.Shuffle(result[i]);
            }
        }
        return result;
    }

    /// <summary>Says why part <paramref name="part"/> got no rows: too few rows overall, or (stratified) too few per class.</summary>
    private static void ThrowEmptyPart(int part, double[] fractions, int rows, int[]? labels, int classCount)
    {
        double fraction = fractions[part];
        string share = FormattableString.Invariant($"{fraction:R} × {rows} rows = {fraction * rows:G3}");
        if (labels is null)
        {
            ThrowHelper.Argument(nameof(fractions), $"Part {part} (fraction {fraction:R}) would be empty: {share} rounds to 0. Use fewer parts or larger fractions.");
        }
        var sizes = new int[classCount];
        foreach (int label in labels)
        {
            sizes[label]++;
        }
        int classes = sizes.Count(n => n > 0), largest = sizes.Max();
        ThrowHelper.Argument(nameof(fractions), FormattableString.Invariant(
            $"Stratified split: part {part} (fraction {fraction:R}) would be empty, although {share} overall: every class is cut separately, and none of the {classes} classes (the largest has {largest} rows; {fraction:R} × {largest} = {fraction * largest:G3}) is large enough to give it a row. Split without stratification, use larger fractions or fewer parts, or merge small classes."));
    }

    private static int[] Permutation(int rows, Random random)
    {
        var order = new int[rows];
        for (int i = 0; i < rows; i++)
        {
            order[i] = i;
        }
        random.Shuffle(order);
        return order;
    }

    // Boundaries at round(n·cumulative fraction) so part sizes sum to n exactly.
    private static void Cut(int[] order, double[] fractions, List<int>[] parts)
    {
        int n = order.Length, start = 0;
        double cumulative = 0;
        for (int i = 0; i < fractions.Length; i++)
        {
            cumulative += fractions[i];
            int end = i == fractions.Length - 1 ? n : (int)Math.Min(n, Math.Round(n * cumulative, MidpointRounding.AwayFromZero));
            for (int j = start; j < end; j++)
            {
                parts[i].Add(order[j]);
            }
            start = Math.Max(start, end);
        }
    }
}
