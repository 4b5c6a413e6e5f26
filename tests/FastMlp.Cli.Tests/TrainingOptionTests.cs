namespace FastMlp.Cli.Tests;

/// <summary>train --dropout and --class-weight: applied, reported, and refused when they cannot apply.</summary>
public sealed class TrainingOptionTests
{
    private static readonly string MixedCsv = Path.Combine(AppContext.BaseDirectory, "data", "credit-mixed.csv");

    [Fact]
    public void Dropout_and_balanced_class_weights_train_and_are_named_in_the_header()
    {
        using TempFolder folder = CliRunner.Temp();
        CliResult r = CliRunner.Run("train", "--dataset", "digits", "--epochs", "2", "--dropout", "0.2", "--class-weight", "balanced", "--out", folder.Path);
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Contains("dropout 0.2, class weights balanced", r.Output);
        Assert.True(File.Exists(Path.Combine(folder.Path, "model.fastmlp")));
    }

    [Fact]
    public void Class_weights_by_name_must_name_classes_of_the_data()
    {
        using TempFolder folder = CliRunner.Temp();
        CliResult r = CliRunner.Run("train", "--dataset", "digits", "--epochs", "1", "--class-weight", "3:4,eleven:2", "--out", folder.Path);
        Assert.Equal(1, r.ExitCode);
        Assert.Equal("error: --class-weight: Class weights name a class the data does not have: eleven; the classes are: 0, 1, 2, 3, 4, 5, 6, 7, 8, 9.", r.Error.Trim());
        // Checked before any work starts: not even the Data/Split/Model header was printed.
        Assert.Equal("", r.Output);
        Assert.False(File.Exists(Path.Combine(folder.Path, "model.fastmlp")));
    }

    [Theory]
    [InlineData("train", "maybe:3", "error: --class-weight: Class weights name a class the data does not have: maybe; the classes are: no, yes.")]
    [InlineData("cv", "maybe:3", "error: --class-weight: Class weights name a class the data does not have: maybe; the classes are: no, yes.")]
    [InlineData("train", "no:0,yes:0", "error: --class-weight: Every class weight is 0: nothing would be learned.")]
    [InlineData("cv", "no:0,yes:0", "error: --class-weight: Every class weight is 0: nothing would be learned.")]
    public void Class_weights_that_do_not_fit_the_classes_fail_before_anything_is_printed(string command, string weights, string expected)
    {
        using TempFolder folder = CliRunner.Temp();
        string[] output = command == "train" ? ["--out", folder.Path] : [];
        CliResult r = CliRunner.Run([command, "--data", MixedCsv, "--target", "default", "--epochs", "1", "--layers", "4", "--class-weight", weights, .. output]);
        Assert.Equal(1, r.ExitCode);
        Assert.Equal(expected, r.Error.Trim());
        Assert.Equal("", r.Output);
    }

    [Theory]
    [InlineData(new[] { "--dataset", "diabetes", "--class-weight", "balanced" }, "--class-weight: diabetes (embedded) has a regression target")]
    [InlineData(new[] { "--dataset", "digits", "--class-weight", "3:4,3:5" }, "--class-weight: class '3' is given twice")]
    [InlineData(new[] { "--dataset", "digits", "--class-weight", "3=4" }, "--class-weight: '3=4' in '3=4' is not CLASS:WEIGHT")]
    [InlineData(new[] { "--dataset", "digits", "--dropout", "0.3", "--layers", "none" }, "--dropout: acts on hidden layers")]
    public void Options_that_cannot_apply_are_refused_in_one_line(string[] options, string expected)
    {
        using TempFolder folder = CliRunner.Temp();
        CliResult r = CliRunner.Run(["train", "--epochs", "1", "--out", folder.Path, .. options]);
        Assert.Equal(1, r.ExitCode);
        Assert.StartsWith("error: " + expected, r.Error.Trim());
        Assert.DoesNotContain("\n", r.Error.Trim());
    }
}

/// <summary>importance on a model with a column schema ranks the CSV's columns, not the one-hot parts.</summary>
public sealed class SchemaImportanceTests
{
    private static readonly string MixedCsv = Path.Combine(AppContext.BaseDirectory, "data", "credit-mixed.csv");

    [Fact]
    public void Importance_groups_each_columns_encoded_features()
    {
        using TempFolder folder = CliRunner.Temp();
        Assert.Equal(0, CliRunner.Run("train", "--data", MixedCsv, "--target", "default", "--epochs", "3", "--missing-indicator", "--out", folder.Path, "--quiet").ExitCode);
        CliResult r = CliRunner.Run("importance", "--model", Path.Combine(folder.Path, "model.fastmlp"), "--data", MixedCsv, "--target", "default", "--repeats", "1", "--json");
        Assert.True(r.ExitCode == 0, r.Error);
        string[] columns = ["age", "income", "debt_ratio", "months_employed", "late_payments", "job", "housing", "region"];
        foreach (string column in columns)
        {
            Assert.Contains($"\"{column}\"", r.Output);
        }
        // The encoded features (job=salaried, income missing indicator, …) are never listed on their own.
        Assert.DoesNotContain("job=", r.Output);
        Assert.DoesNotContain("missing", r.Output);
    }
}

/// <summary>train --monitor: early stopping on a validation metric.</summary>
public sealed class MonitorOptionTests
{
    [Fact]
    public void Monitor_is_named_in_the_header_and_recorded_as_the_best_epochs_metric()
    {
        using TempFolder folder = CliRunner.Temp();
        CliResult r = CliRunner.Run("train", "--dataset", "digits", "--epochs", "4", "--layers", "16", "--monitor", "balanced-accuracy", "--out", folder.Path);
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Contains("early stopping patience 5 on BalancedAccuracy", r.Output);
    }

    [Theory]
    [InlineData(new[] { "--dataset", "diabetes", "--monitor", "rocauc" }, "--monitor: diabetes (embedded) has a regression target ('progression'), which has no rocauc.")]
    [InlineData(new[] { "--dataset", "digits", "--monitor", "r2" }, "--monitor: digits (embedded) has a classification target")]
    public void A_metric_the_task_lacks_is_refused(string[] options, string expected)
    {
        using TempFolder folder = CliRunner.Temp();
        CliResult r = CliRunner.Run(["train", "--epochs", "1", "--out", folder.Path, .. options]);
        Assert.Equal(1, r.ExitCode);
        Assert.StartsWith("error: " + expected, r.Error.Trim());
    }
}
