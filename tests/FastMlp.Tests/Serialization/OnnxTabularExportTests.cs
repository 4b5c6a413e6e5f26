using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Xunit;

namespace FastMlp.Tests.Serialization;

/// <summary>A model with categorical and imputed columns exports its encoding; ONNX Runtime agrees with PredictRow.</summary>
public class OnnxTabularExportTests
{
    private static Mlp<float> Model()
    {
        TabularSchema schema = TabularSchema.Fit(
            ["age", "job", "city", "income"],
            [["30", "clerk", "Oslo", "10"], ["NA", "nurse", "Rome", "12"], ["50", "clerk", "?", "NA"], ["41", "chef", "Oslo", "7"],
             ["", "clerk", "Rome", "9"], ["38", "nurse", "Oslo", "11"]],
            new TabularSchemaOptions { MissingIndicators = true, MinCategoryCount = 2 });
        Mlp<float> model = TestModels.Create<float>([schema.FeatureCount, 6, 3], Activation.Tanh, Activation.Softmax, seed: 9, standardize: true);
        model.Schema = schema;
        return model;
    }

    // (age, job, city, income) rows: known, rare (chef → other), unseen (pilot, Paris), missing in several spellings.
    private static readonly string?[][] Rows =
    [
        ["33", "clerk", "Oslo", "8.5"],
        ["NA", "chef", "Rome", "12"],
        ["61", "pilot", "Paris", ""],
        ["", "na", "?", "null"],
        ["45", "NURSE", "NULL", "10"],
    ];

    [Fact]
    public void Onnx_runtime_matches_predict_row_on_raw_columns()
    {
        Mlp<float> model = Model();
        using InferenceModel<float> frozen = model.Freeze();
        var stream = new MemoryStream();
        frozen.ExportOnnx(stream);
        using var session = new InferenceSession(stream.ToArray());
        Assert.Equal(["age", "job", "city", "income"], session.InputNames);
        Assert.Equal(typeof(float), session.InputMetadata["age"].ElementType);
        Assert.Equal(typeof(string), session.InputMetadata["job"].ElementType);

        int n = Rows.Length;
        float[] Numeric(int c) => [.. Rows.Select(r => frozen.Schema!.IsMissing(r[c]) ? float.NaN : float.Parse(r[c]!, System.Globalization.CultureInfo.InvariantCulture))];
        string[] Text(int c) => [.. Rows.Select(r => r[c]!.Trim())];
        var inputs = new List<NamedOnnxValue>
        {
            NamedOnnxValue.CreateFromTensor("age", new DenseTensor<float>(Numeric(0), [n, 1])),
            NamedOnnxValue.CreateFromTensor("job", new DenseTensor<string>(Text(1), [n, 1])),
            NamedOnnxValue.CreateFromTensor("city", new DenseTensor<string>(Text(2), [n, 1])),
            NamedOnnxValue.CreateFromTensor("income", new DenseTensor<float>(Numeric(3), [n, 1])),
        };
        using var results = session.Run(inputs);
        float[] actual = results.First(r => r.Name == "output").AsTensor<float>().ToArray();
        Assert.Equal(n * 3, actual.Length);
        for (int r = 0; r < n; r++)
        {
            var expected = new float[3];
            var row = new Dictionary<string, string?> { ["age"] = Rows[r][0], ["job"] = Rows[r][1], ["city"] = Rows[r][2], ["income"] = Rows[r][3] };
            frozen.PredictRow(row, expected);
            for (int k = 0; k < 3; k++)
            {
                Assert.True(Math.Abs(actual[r * 3 + k] - expected[k]) <= 1e-5, $"row {r}, output {k}: ONNX Runtime {actual[r * 3 + k]}, FastMlp {expected[k]}");
            }
        }
        // The rows differ in their encodings, so the comparison is not trivially of equal outputs.
        Assert.NotEqual(actual[0], actual[3]);
    }

    [Theory]
    [InlineData(Imputation.Mean)]
    [InlineData(Imputation.Median)]
    public void A_numeric_only_schema_imputes_nan_in_onnx_runtime_as_predict_row_does(Imputation imputation)
    {
        // Every column numeric, no missing indicator: the graph keeps the one 'input' tensor, and NaN must become the fill value.
        TabularSchema schema = TabularSchema.Fit(["a", "b", "c"],
            [["1", "10", "-3"], ["NA", "14", "-1"], ["4", "", "2"], ["9", "11", "?"], ["2", "30", "0.5"]],
            new TabularSchemaOptions { Imputation = imputation });
        Assert.False(schema.HasEncodedColumns);
        Mlp<float> model = TestModels.Create<float>([3, 5, 2], Activation.Tanh, Activation.Softmax, seed: 4, standardize: true);
        model.Schema = schema;
        using InferenceModel<float> frozen = model.Freeze();
        var stream = new MemoryStream();
        frozen.ExportOnnx(stream);
        using var session = new InferenceSession(stream.ToArray());
        Assert.Equal(["input"], session.InputNames);

        string?[][] rows = [["NA", "12", "1"], ["3", "", "-2"], ["5", "13", "null"], ["", "?", "NaN"], ["7", "20", "0"]];
        float Cell(string? cell) => schema.IsMissing(cell) ? float.NaN : float.Parse(cell!, System.Globalization.CultureInfo.InvariantCulture);
        float[] x = [.. rows.SelectMany(r => r.Select(Cell))];
        Assert.Contains(float.NaN, x);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("input", new DenseTensor<float>(x, [rows.Length, 3]))]);
        float[] actual = results.First(r => r.Name == "output").AsTensor<float>().ToArray();
        for (int r = 0; r < rows.Length; r++)
        {
            var expected = new float[2];
            frozen.PredictRow(new Dictionary<string, string?> { ["a"] = rows[r][0], ["b"] = rows[r][1], ["c"] = rows[r][2] }, expected);
            for (int k = 0; k < 2; k++)
            {
                Assert.True(Math.Abs(actual[r * 2 + k] - expected[k]) <= 1e-5, $"row {r}, output {k}: ONNX Runtime {actual[r * 2 + k]}, FastMlp {expected[k]}");
            }
        }
        // The fill values matter: a missing 'a' and an 'a' of 0 give different outputs.
        var zero = new float[2];
        frozen.PredictRow(new Dictionary<string, string?> { ["a"] = "0", ["b"] = "12", ["c"] = "1" }, zero);
        Assert.NotEqual(zero[0], actual[0]);
    }

    [Fact]
    public void A_model_without_schema_exports_no_imputer()
    {
        using InferenceModel<float> frozen = TestModels.Create<float>([2, 3, 1], Activation.ReLU, Activation.Identity, 1, true).Freeze();
        var stream = new MemoryStream();
        frozen.ExportOnnx(stream);
        string text = System.Text.Encoding.Latin1.GetString(stream.ToArray());
        Assert.DoesNotContain("Imputer", text);
        Assert.DoesNotContain("ai.onnx.ml", text);
        using var session = new InferenceSession(stream.ToArray());
        Assert.Equal(["input"], session.InputNames);
    }

    [Fact]
    public void A_column_named_like_a_graph_node_is_refused()
    {
        TabularSchema schema = TabularSchema.Fit(["output"], [["a"], ["b"]]);
        Mlp<float> model = TestModels.Create<float>([schema.FeatureCount, 1], Activation.ReLU, Activation.Identity, 1, false);
        model.Schema = schema;
        using InferenceModel<float> frozen = model.Freeze();
        Assert.Contains("column 'output'", Assert.Throws<NotSupportedException>(() => frozen.ExportOnnx(new MemoryStream())).Message);
    }
}
