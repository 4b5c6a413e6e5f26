namespace FastMlp.Evaluation;

/// <summary>Per-class and averaged precision, recall and F1 from a confusion matrix, with scikit-learn's definitions.</summary>
internal static class ClassificationReport
{
    /// <summary>
    /// The metrics of a [classes × classes] confusion matrix (rows: true class, columns: predicted). A 0/0 ratio is
    /// 0 (scikit-learn's zero_division default). Macro and weighted averages run over the classes that occur as a
    /// label or a prediction (scikit-learn's default <c>labels</c>); balanced accuracy over the labels only.
    /// </summary>
    public static (ClassMetrics[] PerClass, ClassMetrics Macro, ClassMetrics Weighted, double BalancedAccuracy) From(ReadOnlySpan<long> confusion, int classes)
    {
        var perClass = new ClassMetrics[classes];
        double macroP = 0, macroR = 0, macroF = 0, weightedP = 0, weightedR = 0, weightedF = 0, recallSum = 0;
        long total = 0;
        int averaged = 0, present = 0;
        for (int c = 0; c < classes; c++)
        {
            long truePositives = confusion[(c * classes) + c], support = 0, predicted = 0;
            for (int other = 0; other < classes; other++)
            {
                support += confusion[(c * classes) + other];
                predicted += confusion[(other * classes) + c];
            }
            long falsePositives = predicted - truePositives, falseNegatives = support - truePositives;
            double precision = Ratio(truePositives, predicted), recall = Ratio(truePositives, support);
            double f1 = Ratio(2 * truePositives, (2 * truePositives) + falsePositives + falseNegatives);
            perClass[c] = new ClassMetrics(precision, recall, f1, support);
            if (support > 0 || predicted > 0)
            {
                averaged++;
                (macroP, macroR, macroF) = (macroP + precision, macroR + recall, macroF + f1);
            }
            if (support > 0)
            {
                present++;
                recallSum += recall;
                (weightedP, weightedR, weightedF) = (weightedP + (precision * support), weightedR + (recall * support), weightedF + (f1 * support));
                total += support;
            }
        }
        var macro = averaged == 0 ? new ClassMetrics(double.NaN, double.NaN, double.NaN, 0)
            : new ClassMetrics(macroP / averaged, macroR / averaged, macroF / averaged, total);
        var weighted = total == 0 ? new ClassMetrics(0, 0, 0, 0)
            : new ClassMetrics(weightedP / total, weightedR / total, weightedF / total, total);
        return (perClass, macro, weighted, present == 0 ? double.NaN : recallSum / present);
    }

    private static double Ratio(long numerator, long denominator) => denominator == 0 ? 0 : (double)numerator / denominator;
}
