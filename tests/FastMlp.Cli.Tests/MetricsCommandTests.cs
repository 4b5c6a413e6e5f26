using System.Globalization;
using System.Text.Json;

namespace FastMlp.Cli.Tests;

/// <summary>evaluate's metrics, the decision threshold (train stores it, evaluate and predict override it) and importance.</summary>
public sealed class MetricsCommandTests
{
    /// <summary>label = yes when signal > 0.7 (a minority of about 30 %); noise carries nothing.</summary>
    private static string Imbalanced(int rows)
    {
        var text = new System.Text.StringBuilder("noise,signal,label\n");
        var random = new Random(11);
        for (int i = 0; i < rows; i++)
        {
            double noise = random.NextDouble(), signal = random.NextDouble();
            text.Append(CultureInfo.InvariantCulture, $"{noise:F3},{signal:F3},{(signal > 0.7 ? "yes" : "no")}\n");
        }
        return text.ToString();
    }

    private static string Train(TempFolder temp, string csv, params string[] extra)
    {
        CliResult r = CliRunner.Run([
            "train", "--data", csv, "--target", "label", "--layers", "8", "--optimizer", "adam", "--lr", "0.05", "--epochs", "60",
            "--patience", "0", "--split", "80/20", "--out", Path.Combine(temp.Path, "run"), "--quiet", .. extra]);
        Assert.True(r.ExitCode == 0, r.Error);
        return Path.Combine(temp.Path, "run", "model.fastmlp");
    }

    private static JsonElement EvaluateJson(string model, string csv, params string[] extra)
    {
        CliResult r = CliRunner.Run(["evaluate", "--model", model, "--data", csv, "--json", .. extra]);
        Assert.True(r.ExitCode == 0, r.Error);
        return JsonDocument.Parse(r.Output).RootElement.Clone();
    }

    [Fact]
    public void Evaluate_json_has_the_classification_metrics_and_per_class_entries()
    {
        using TempFolder temp = CliRunner.Temp();
        string csv = temp.File("data.csv", Imbalanced(300));
        string model = Train(temp, csv);
        JsonElement json = EvaluateJson(model, csv);
        foreach (string key in new[] { "accuracy", "balancedAccuracy", "precision", "recall", "f1", "rocAuc", "logLoss" })
        {
            Assert.InRange(json.GetProperty(key).GetDouble(), 0, key == "logLoss" ? 10 : 1);
        }
        JsonElement perClass = json.GetProperty("perClass");
        Assert.Equal(["no", "yes"], perClass.EnumerateObject().Select(p => p.Name));
        Assert.Equal(300, perClass.EnumerateObject().Sum(p => p.Value.GetProperty("support").GetInt32()));
        // Macro: the plain mean over the two classes; balanced accuracy: the mean recall.
        Assert.Equal(perClass.EnumerateObject().Average(p => p.Value.GetProperty("f1").GetDouble()), json.GetProperty("f1").GetDouble(), 12);
        Assert.Equal(perClass.EnumerateObject().Average(p => p.Value.GetProperty("recall").GetDouble()), json.GetProperty("balancedAccuracy").GetDouble(), 12);
        Assert.True(json.GetProperty("rocAuc").GetDouble() > 0.9);

        CliResult table = CliRunner.Run("evaluate", "--model", model, "--data", csv);
        Assert.Contains("macro avg", table.Output);
        Assert.Contains("weighted avg", table.Output);
        Assert.Contains("ROC-AUC", table.Output);
    }

    [Fact]
    public void The_threshold_given_to_train_is_stored_and_evaluate_and_predict_can_override_it()
    {
        using TempFolder temp = CliRunner.Temp();
        string csv = temp.File("data.csv", Imbalanced(300));
        string model = Train(temp, csv, "--threshold", "0.9");
        Assert.Equal(0.9, Mlp<float>.Load(model).DecisionThreshold);
        JsonElement stored = EvaluateJson(model, csv), lenient = EvaluateJson(model, csv, "--threshold", "0.1");
        Assert.Equal(0.9, stored.GetProperty("threshold").GetDouble());
        Assert.Equal(0.1, lenient.GetProperty("threshold").GetDouble());
        // A high threshold predicts "yes" rarely (high precision, low recall); a low one the opposite.
        double Yes(JsonElement e, string what) => e.GetProperty("perClass").GetProperty("yes").GetProperty(what).GetDouble();
        Assert.True(Yes(stored, "recall") < Yes(lenient, "recall"), $"{Yes(stored, "recall")} vs {Yes(lenient, "recall")}");
        Assert.True(Yes(stored, "precision") > Yes(lenient, "precision"));
        // Threshold-free scores do not move.
        Assert.Equal(stored.GetProperty("rocAuc").GetDouble(), lenient.GetProperty("rocAuc").GetDouble());

        // A row on the boundary: thresholds just above and below its probability of "yes" flip its class.
        string rows = temp.File("rows.csv", "noise,signal\n0.5,0.7\n");
        string[] Predicted(params string[] extra)
        {
            CliResult r = CliRunner.Run(["predict", "--model", model, "--data", rows, .. extra]);
            Assert.True(r.ExitCode == 0, r.Error);
            return r.Output.Split('\n')[1].Split(',');
        }
        string[] row = Predicted();
        double yes = row[0] == "yes" ? double.Parse(row[1], CultureInfo.InvariantCulture) : 1 - double.Parse(row[1], CultureInfo.InvariantCulture);
        Assert.InRange(yes, 0.02, 0.98);
        Assert.Equal(yes > 0.9 ? "yes" : "no", row[0]);
        Assert.Equal("no", Predicted("--threshold", (yes + 0.01).ToString(CultureInfo.InvariantCulture))[0]);
        Assert.Equal("yes", Predicted("--threshold", (yes - 0.01).ToString(CultureInfo.InvariantCulture))[0]);
    }

    [Fact]
    public void A_threshold_on_a_multi_class_model_is_refused()
    {
        using TempFolder temp = CliRunner.Temp();
        string csv = temp.File("digits.csv", CliRunner.DigitsCsv(3));
        CliResult r = CliRunner.Run("evaluate", "--model", CliRunner.DigitsModel, "--data", csv, "--threshold", "0.3");
        Assert.Equal(1, r.ExitCode);
        Assert.Equal("error: --threshold: applies to binary classification, but the model has 10 classes.", r.Error.Trim());
    }

    [Fact]
    public void Importance_ranks_the_signal_first_is_seeded_and_draws_a_chart()
    {
        using TempFolder temp = CliRunner.Temp();
        string csv = temp.File("data.csv", Imbalanced(300));
        string model = Train(temp, csv);
        string png = Path.Combine(temp.Path, "importance.png");
        string[] args = ["importance", "--model", model, "--data", csv, "--repeats", "3", "--seed", "4", "--metric", "rocauc", "--json"];
        CliResult first = CliRunner.Run([.. args, "--out", png]);
        Assert.True(first.ExitCode == 0, first.Error);
        TrainCommandTests.AssertPng(png);
        JsonElement json = JsonDocument.Parse(first.Output).RootElement;
        Assert.Equal("rocauc", json.GetProperty("metric").GetString());
        JsonElement[] features = [.. json.GetProperty("features").EnumerateArray()];
        Assert.Equal(["signal", "noise"], features.Select(f => f.GetProperty("name").GetString()));
        Assert.True(features[0].GetProperty("mean").GetDouble() > 0.2);
        Assert.InRange(features[1].GetProperty("mean").GetDouble(), -0.05, 0.05);
        Assert.Equal(3, features[0].GetProperty("drops").GetArrayLength());

        CliResult again = CliRunner.Run([.. args, "--out", png]);
        Assert.Equal(first.Output, again.Output);
        CliResult otherSeed = CliRunner.Run("importance", "--model", model, "--data", csv, "--repeats", "3", "--seed", "5", "--metric", "rocauc", "--json");
        Assert.True(otherSeed.ExitCode == 0, otherSeed.Error);
        Assert.NotEqual(JsonDocument.Parse(first.Output).RootElement.GetProperty("features")[0].GetProperty("drops").ToString(),
                        JsonDocument.Parse(otherSeed.Output).RootElement.GetProperty("features")[0].GetProperty("drops").ToString());
    }
}
