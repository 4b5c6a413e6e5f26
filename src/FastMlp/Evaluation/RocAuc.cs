namespace FastMlp.Evaluation;

/// <summary>
/// Area under the ROC curve as the Mann–Whitney statistic: (Σ ranks of the positives − P(P+1)/2) / (P·N), tied
/// scores sharing their average rank. That equals the trapezoidal area scikit-learn's <c>roc_auc_score</c>
/// computes (a tie between a positive and a negative counts one half).
/// </summary>
internal static class RocAuc
{
    /// <summary>
    /// AUC of <paramref name="scores"/> against <paramref name="positive"/> (1: positive, 0: negative). Sorts both
    /// spans in place (allocation-free). NaN when one side is empty or a score is NaN.
    /// </summary>
    public static double Binary(Span<double> scores, Span<byte> positive)
    {
        long positives = 0;
        for (int i = 0; i < scores.Length; i++)
        {
            if (double.IsNaN(scores[i]))
            {
                return double.NaN;
            }
            positives += positive[i];
        }
        long negatives = scores.Length - positives;
        if (positives == 0 || negatives == 0)
        {
            return double.NaN;
        }
        scores.Sort(positive);
        double rankSum = 0;
        for (int start = 0; start < scores.Length;)
        {
            int end = start;
            long tiedPositives = 0;
            while (end < scores.Length && scores[end] == scores[start])
            {
                tiedPositives += positive[end];
                end++;
            }
            // 1-based ranks start+1 … end share their mean.
            rankSum += tiedPositives * ((start + 1 + end) / 2.0);
            start = end;
        }
        return (rankSum - (positives * (positives + 1) / 2.0)) / ((double)positives * negatives);
    }

    /// <summary>
    /// One-vs-rest macro AUC of a [rows × classes] score matrix: the mean of <see cref="Binary"/> per class over the
    /// classes that have both positive and negative rows (NaN if none). <paramref name="keys"/> and
    /// <paramref name="flags"/> are scratch of at least <paramref name="labels"/>.Length.
    /// </summary>
    public static double OneVsRest(ReadOnlySpan<double> scores, ReadOnlySpan<int> labels, int classes, Span<double> keys, Span<byte> flags)
    {
        int rows = labels.Length;
        foreach (double score in scores)
        {
            if (double.IsNaN(score))
            {
                return double.NaN;
            }
        }
        double sum = 0;
        int counted = 0;
        for (int c = 0; c < classes; c++)
        {
            for (int r = 0; r < rows; r++)
            {
                keys[r] = scores[(r * classes) + c];
                flags[r] = labels[r] == c ? (byte)1 : (byte)0;
            }
            double auc = Binary(keys.Slice(0, rows), flags.Slice(0, rows));
            if (!double.IsNaN(auc))
            {
                sum += auc;
                counted++;
            }
        }
        return counted == 0 ? double.NaN : sum / counted;
    }
}
