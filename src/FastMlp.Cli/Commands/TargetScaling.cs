namespace FastMlp.Cli.Commands;

/// <summary>
/// Regression targets are standardized for training (so default learning rates work whatever their units) and the
/// scale is folded back into the linear output layer afterwards: y = σ·(W·h + b) + μ = (σW)·h + (σb + μ).
/// </summary>
internal static class TargetScaling
{
    public static (double Mean, double Scale) Fit(Dataset<float> data)
    {
        ReadOnlySpan<float> y = data.Targets.Span;
        double mean = 0;
        foreach (float v in y) mean += v;
        mean /= y.Length;
        double variance = 0;
        foreach (float v in y) variance += (v - mean) * (v - mean);
        double std = Math.Sqrt(variance / y.Length);
        return (mean, std > 0 ? std : 1);
    }

    public static Dataset<float> Apply(Dataset<float> data, double mean, double scale)
    {
        float[] y = data.Targets.ToArray();
        for (int i = 0; i < y.Length; i++)
        {
            y[i] = (float)((y[i] - mean) / scale);
        }
        return Dataset<float>.ForRegression(data.Features.Span, y, data.FeatureCount, data.TargetCount);
    }

    public static void FoldIntoOutput(Mlp<float> model, double mean, double scale)
    {
        int last = model.LayerCount - 1;
        float[] w = model.GetWeights(last).ToArray();
        float[] b = model.GetBiases(last).ToArray();
        for (int i = 0; i < w.Length; i++) w[i] = (float)(w[i] * scale);
        for (int i = 0; i < b.Length; i++) b[i] = (float)(b[i] * scale + mean);
        model.SetWeights(last, w);
        model.SetBiases(last, b);
    }
}
