using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace FastMlp.Cli.Tests;

/// <summary>
/// Options whose refusals are tested elsewhere, here on the path where they are accepted: --class-weight NAME:W,
/// --monitor rocauc and --categorical on a numeric-looking column each change what is trained, and say so.
/// </summary>
public sealed class AcceptedOptionTests
{
    private static readonly string MixedCsv = Path.Combine(AppContext.BaseDirectory, "data", "credit-mixed.csv");

    private static CliResult Succeeds(params string[] args)
    {
        CliResult r = CliRunner.Run(args);
        Assert.True(r.ExitCode == 0, $"exit {r.ExitCode}: {r.Error}");
        return r;
    }

    /// <summary>The recall of class 'yes' on the whole mixed CSV, from evaluate --json.</summary>
    private static double YesRecall(string model)
    {
        using JsonDocument json = JsonDocument.Parse(Succeeds("evaluate", "--model", model, "--data", MixedCsv, "--json").Output);
        return json.RootElement.GetProperty("perClass").GetProperty("yes").GetProperty("recall").GetDouble();
    }

    [Fact]
    public void Class_weight_by_name_changes_the_fit_and_is_named_in_the_header()
    {
        using TempFolder folder = CliRunner.Temp();
        string[] common = ["train", "--data", MixedCsv, "--target", "default", "--layers", "8", "--optimizer", "adam", "--lr", "0.01",
                           "--epochs", "8", "--patience", "0", "--split", "80/20"];
        string plain = Path.Combine(folder.Path, "plain"), weighted = Path.Combine(folder.Path, "weighted");
        CliResult none = Succeeds([.. common, "--class-weight", "none", "--out", plain]);
        CliResult five = Succeeds([.. common, "--class-weight", "yes:5", "--out", weighted]);
        Assert.DoesNotContain("class weights", none.Output);
        Assert.DoesNotContain("early stopping", none.Output);
        Assert.Matches(@"Model: .*, up to 8 epochs, class weights \{yes: 5\}; GEMM path", five.Output);

        float[] a = Mlp<float>.Load(Path.Combine(plain, "model.fastmlp")).GetWeights(0).ToArray();
        float[] b = Mlp<float>.Load(Path.Combine(weighted, "model.fastmlp")).GetWeights(0).ToArray();
        Assert.NotEqual(a, b);
        // 'yes' (14.8 % of the rows) weighing 5 times as much: the model finds clearly more of the defaults.
        double plainRecall = YesRecall(Path.Combine(plain, "model.fastmlp")), weightedRecall = YesRecall(Path.Combine(weighted, "model.fastmlp"));
        Assert.True(weightedRecall > plainRecall + 0.2, $"recall of 'yes': {plainRecall} unweighted, {weightedRecall} with yes:5");
    }

    private static double RocAuc(string output) =>
        double.Parse(Regex.Match(output, @"ROC-AUC (\d\.\d{4})").Groups[1].Value, CultureInfo.InvariantCulture);

    [Fact]
    public void Monitor_rocauc_is_named_in_the_header_and_restores_the_epoch_of_the_best_validation_roc_auc()
    {
        // 80/20: the final report is on the validation part, the part early stopping watches.
        using TempFolder folder = CliRunner.Temp();
        string[] common = ["train", "--data", MixedCsv, "--target", "default", "--layers", "16", "--optimizer", "adam", "--lr", "0.03",
                           "--split", "80/20", "--min-category-count", "10"];
        CliResult r = Succeeds([.. common, "--epochs", "12", "--patience", "4", "--monitor", "rocauc", "--out", Path.Combine(folder.Path, "monitored")]);
        Assert.Contains("early stopping patience 4 on RocAuc", r.Output);
        int best = int.Parse(Regex.Match(r.Output, @"best epoch (\d+)").Groups[1].Value, CultureInfo.InvariantCulture);
        int ran = File.ReadAllLines(Path.Combine(folder.Path, "monitored", "history.csv")).Length - 1;

        // The same run stopped after each epoch (no early stopping): the validation ROC-AUC of every epoch's weights.
        double[] perEpoch = new double[ran];
        for (int e = 1; e <= ran; e++)
        {
            perEpoch[e - 1] = RocAuc(Succeeds([.. common, "--epochs", e.ToString(CultureInfo.InvariantCulture), "--patience", "0", "--out", Path.Combine(folder.Path, $"e{e}")]).Output);
        }
        string table = string.Join(", ", perEpoch.Select(v => v.ToString("F4", CultureInfo.InvariantCulture)));
        // The ROC-AUC differs from epoch to epoch, and its best is not simply the last epoch: picking the best one matters.
        Assert.True(perEpoch.Distinct().Count() > 2, table);
        Assert.True(perEpoch.Max() > perEpoch[^1], $"best at the last epoch: {table}");
        Assert.Equal(perEpoch.Max(), perEpoch[best - 1]);
        Assert.Equal(perEpoch.Max(), RocAuc(r.Output));
    }

    [Fact]
    public void Categorical_makes_a_numeric_looking_column_one_hot_encoded_in_the_model_schema()
    {
        using TempFolder folder = CliRunner.Temp();
        var csv = new System.Text.StringBuilder("zip,x,y\n");
        for (int i = 0; i < 60; i++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{(i % 3 + 1) * 1000},{i % 7},{i % 2}\n");
        }
        string data = folder.File("zips.csv", csv.ToString());
        CliResult forced = Succeeds("train", "--data", data, "--target", "y", "--epochs", "1", "--layers", "4", "--categorical", "zip", "--out", Path.Combine(folder.Path, "forced"));
        Assert.Contains("Columns (fitted on the train part): 1 numeric (missing → mean), 1 categorical (zip: 3) → 4 features", forced.Output);
        TabularSchema schema = Mlp<float>.Load(Path.Combine(folder.Path, "forced", "model.fastmlp")).Schema!;
        Assert.Equal(ColumnKind.Categorical, schema.Columns[0].Kind);
        Assert.Equal(["1000", "2000", "3000"], schema.Columns[0].Categories);
        Assert.Equal(["zip=1000", "zip=2000", "zip=3000", "x"], schema.FeatureNames);

        // Without the option the same column is a number.
        CliResult plain = Succeeds("train", "--data", data, "--target", "y", "--epochs", "1", "--layers", "4", "--out", Path.Combine(folder.Path, "plain"));
        Assert.Contains("Columns (fitted on the train part): 2 numeric (missing → mean) → 2 features", plain.Output);
        Assert.Equal(ColumnKind.Numeric, Mlp<float>.Load(Path.Combine(folder.Path, "plain", "model.fastmlp")).Schema!.Columns[0].Kind);
    }
}
