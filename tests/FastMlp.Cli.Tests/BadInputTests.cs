namespace FastMlp.Cli.Tests;

/// <summary>Every bad input gives a one-line error naming the file/line/column or option, a non-zero exit code and no stack trace.</summary>
public sealed class BadInputTests
{
    private static CliResult Train(TempFolder temp, string csvContent, params string[] extra)
    {
        string csv = temp.File("data.csv", csvContent);
        return CliRunner.Run(["train", "--data", csv, "--out", temp.Path, "--epochs", "2", .. extra]);
    }

    private static void AssertError(CliResult r, int exitCode, params string[] fragments)
    {
        Assert.Equal(exitCode, r.ExitCode);
        string error = r.Error.TrimEnd();
        Assert.StartsWith("error: ", error);
        Assert.DoesNotContain('\n', error);
        Assert.DoesNotContain("   at ", error);
        foreach (string f in fragments)
        {
            Assert.Contains(f, error);
        }
    }

    [Fact]
    public void MissingFile()
    {
        CliResult r = CliRunner.Run("train", "--data", "/nonexistent/data.csv");
        AssertError(r, 1, "/nonexistent/data.csv", "not found");
    }

    [Fact]
    public void EmptyFile()
    {
        using TempFolder temp = CliRunner.Temp();
        AssertError(Train(temp, ""), 1, "data.csv", "empty");
    }

    [Fact]
    public void HeaderOnly()
    {
        using TempFolder temp = CliRunner.Temp();
        AssertError(Train(temp, "a,b,y\n"), 1, "data.csv", "no data rows");
    }

    [Fact]
    public void NoHeader()
    {
        using TempFolder temp = CliRunner.Temp();
        AssertError(Train(temp, "1,2,0\n3,4,1\n"), 1, "data.csv", "line 1", "no header");
    }

    [Fact]
    public void RaggedRow()
    {
        using TempFolder temp = CliRunner.Temp();
        AssertError(Train(temp, "a,b,y\n1,2,0\n3,4\n5,6,1\n"), 1, "data.csv", "line 3", "expected 3 columns", "has 2");
    }

    [Fact]
    public void NonNumericFeature()
    {
        using TempFolder temp = CliRunner.Temp();
        // A text cell makes a column categorical, unless --numeric says it must hold numbers.
        AssertError(Train(temp, "a,b,y\n1,2,0\n3,abc,1\n", "--numeric", "b"), 1, "data.csv", "line 3", "column 2", "'b'", "'abc' is not a number");
    }

    [Theory]
    [InlineData("NaN")] // a missing token by default: an error only once --missing leaves it out
    [InlineData("Infinity")]
    [InlineData("1e999")]
    public void NonFiniteFeature(string value)
    {
        using TempFolder temp = CliRunner.Temp();
        AssertError(Train(temp, $"a,b,y\n1,2,0\n{value},4,1\n", "--missing", "NA"), 1, "data.csv", "line 3", "column 1", "not a finite number");
    }

    [Fact]
    public void UnknownTargetColumn()
    {
        using TempFolder temp = CliRunner.Temp();
        AssertError(Train(temp, "a,b,y\n1,2,0\n3,4,1\n", "--target", "price"), 1, "data.csv", "no column named 'price'", "a, b, y");
    }

    [Fact]
    public void TargetWithOneClass()
    {
        using TempFolder temp = CliRunner.Temp();
        AssertError(Train(temp, "a,b,y\n1,2,cat\n3,4,cat\n"), 1, "data.csv", "only one class", "'cat'");
    }

    [Fact]
    public void TooFewRowsForSplit()
    {
        using TempFolder temp = CliRunner.Temp();
        AssertError(Train(temp, "a,b,y\n1,2,0\n3,4,1\n5,6,0\n"), 1, "--split", "3 rows", "too few");
    }

    [Theory]
    [InlineData("70/20", "add up to 90")]
    [InlineData("100/0", "above 0")]
    [InlineData("50/50/0", "above 0")]
    [InlineData("80-20", "percentages")]
    [InlineData("80/x", "'x'")]
    public void BadSplit(string split, string fragment) =>
        AssertError(CliRunner.Run("train", "--split", split), 1, "--split", fragment);

    [Theory]
    [InlineData("--lr", "0")]
    [InlineData("--lr", "-0.1")]
    [InlineData("--epochs", "0")]
    [InlineData("--epochs", "-3")]
    [InlineData("--batch-size", "0")]
    [InlineData("--batch-size", "-5")]
    [InlineData("--batch-size", "lots")]
    public void NonPositiveNumbers(string option, string value) =>
        AssertError(CliRunner.Run("train", option, value), 1, option);

    [Fact]
    public void UnknownActivation() =>
        AssertError(CliRunner.Run("train", "--activation", "swish"), 1, "--activation", "'swish'", "relu");

    [Fact]
    public void UnknownOptimizer() =>
        AssertError(CliRunner.Run("train", "--optimizer", "lbfgs"), 1, "--optimizer", "'lbfgs'", "adamw");

    [Fact]
    public void UnknownOptionIsAUsageError()
    {
        CliResult r = CliRunner.Run("train", "--layerz", "3");
        AssertError(r, 2, "--layerz");
    }

    [Fact]
    public void ModelFileThatIsNotAModel()
    {
        using TempFolder temp = CliRunner.Temp();
        string model = temp.File("model.fastmlp", "this is not a model");
        string csv = temp.File("in.csv", "a,b\n1,2\n");
        AssertError(CliRunner.Run("predict", "--model", model, "--data", csv), 1, "model.fastmlp", "not a FastMlp model");
        AssertError(CliRunner.Run("evaluate", "--model", model, "--data", csv), 1, "model.fastmlp", "not a FastMlp model");
    }

    [Fact]
    public void MissingModelFile() =>
        AssertError(CliRunner.Run("predict", "--model", "/nonexistent/m.fastmlp", "--data", "x.csv"), 1, "/nonexistent/m.fastmlp", "not found");

    [Fact]
    public void PredictCsvWithWrongColumnCount()
    {
        using TempFolder temp = CliRunner.Temp();
        string csv = temp.File("xor.csv", TrainCommandTests.Xor(60));
        CliResult train = CliRunner.Run("train", "--data", csv, "--layers", "4", "--epochs", "2", "--out", temp.Path, "--quiet");
        Assert.True(train.ExitCode == 0, train.Error);
        string input = temp.File("in.csv", "p,q,r\n1,2,3\n");
        AssertError(CliRunner.Run("predict", "--model", Path.Combine(temp.Path, "model.fastmlp"), "--data", input), 1,
                    "in.csv", "line 1", "expected 2 feature columns", "has 3 columns");
    }
}
