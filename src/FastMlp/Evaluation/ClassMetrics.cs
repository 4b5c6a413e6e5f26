namespace FastMlp;

/// <summary>
/// Precision, recall, F1 and support of one class, or their macro or weighted average (scikit-learn's
/// <c>classification_report</c> rows). A ratio whose denominator is zero is 0, as scikit-learn's
/// <c>zero_division="warn"</c> default returns (scikit-learn also warns; FastMlp does not).
/// </summary>
/// <param name="Precision">tp / (tp + fp): of the rows predicted as the class, the share that belong to it.</param>
/// <param name="Recall">tp / (tp + fn): of the rows of the class, the share predicted as it.</param>
/// <param name="F1">2·tp / (2·tp + fp + fn), the harmonic mean of precision and recall.</param>
/// <param name="Support">Rows of the class in the data (for an average: the rows of the averaged classes).</param>
public readonly record struct ClassMetrics(double Precision, double Recall, double F1, long Support);
