namespace FastMlp.Verification;

/// <summary>Which parameter: layer, and for a weight W[row, column] ([inputs × outputs]); for a bias, Row = 0 and Column = output index.</summary>
public readonly record struct ParameterLocation(int Layer, bool IsBias, int Row, int Column)
{
    /// <summary>E.g. <c>layer 1 weight[3, 7]</c> or <c>layer 2 bias[0]</c>.</summary>
    public override string ToString() => IsBias ? $"layer {Layer} bias[{Column}]" : $"layer {Layer} weight[{Row}, {Column}]";
}
