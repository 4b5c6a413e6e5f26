using System.CommandLine;

namespace FastMlp.Cli.Options;

/// <summary>How train reads the columns of a --data CSV: kinds, missing tokens, imputation, rare categories.</summary>
internal sealed class SchemaOptions
{
    public Option<string?> Categorical { get; } = new("--categorical") { Description = "Columns read as categories even when numeric, e.g. zip,grade (text columns always are)." };
    public Option<string?> Numeric { get; } = new("--numeric") { Description = "Columns that must be numbers: a text cell in them is an error instead of making them categorical." };
    public Option<string?> Missing { get; } = new("--missing") { Description = "Cells that mean missing, comma-separated, compared ignoring case (default: empty,NA,N/A,NaN,?,null)." };
    public Option<string> Impute { get; } = new("--impute") { Description = "Fill missing numbers with the training part's mean | median.", DefaultValueFactory = _ => "mean" };
    public Option<bool> MissingIndicator { get; } = new("--missing-indicator") { Description = "Add a 0/1 feature after each numeric column that had missing cells, set where the cell was missing." };
    public Option<int> MinCategoryCount { get; } = new("--min-category-count") { Description = "Categories seen fewer times in the training part share one 'other' feature.", DefaultValueFactory = _ => 1 };
    public Option<int> MaxCategories { get; } = new("--max-categories") { Description = "Refuse a categorical column with more distinct values than this (an identifier or free text).", DefaultValueFactory = _ => 1000 };

    private IEnumerable<Option> All => [Categorical, Numeric, Missing, Impute, MissingIndicator, MinCategoryCount, MaxCategories];

    public void AddTo(Command command)
    {
        foreach (Option option in All)
        {
            command.Options.Add(option);
        }
    }

    /// <summary>Validates the values (before any data is read); <paramref name="csv"/> says whether a --data CSV is used.</summary>
    public TabularSchemaOptions Parse(ParseResult parse, bool csv)
    {
        string impute = parse.GetValue(Impute)!.ToLowerInvariant();
        Imputation imputation = impute switch
        {
            "mean" => Imputation.Mean,
            "median" => Imputation.Median,
            _ => throw new CliException($"--impute: '{parse.GetValue(Impute)}' is not mean or median."),
        };
        int minCount = parse.GetValue(MinCategoryCount);
        if (minCount < 1)
        {
            throw new CliException($"--min-category-count: must be ≥ 1 (1 merges nothing), but was {minCount}.");
        }
        int maxCategories = parse.GetValue(MaxCategories);
        if (maxCategories < 1)
        {
            throw new CliException($"--max-categories: must be ≥ 1, but was {maxCategories}.");
        }
        string[] categorical = Names(parse.GetValue(Categorical), "--categorical");
        string[] numeric = Names(parse.GetValue(Numeric), "--numeric");
        if (categorical.Intersect(numeric, StringComparer.Ordinal).FirstOrDefault() is { } both)
        {
            throw new CliException($"--numeric: column '{both}' is also given to --categorical; a column is one or the other.");
        }
        string[] tokens = TabularSchemaOptions.DefaultMissingTokens.ToArray();
        if (parse.GetValue(Missing) is { } missing)
        {
            tokens = [.. missing.Split(',').Select(t => t.Trim())];
            if (tokens.GroupBy(t => t, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1) is { } twice)
            {
                throw new CliException($"--missing: the token '{twice.Key}' is listed twice (tokens are compared ignoring case).");
            }
        }
        if (!csv && All.FirstOrDefault(o => parse.GetResult(o) is { Implicit: false }) is { } given)
        {
            throw new CliException($"{given.Name}: describes the columns of a --data CSV file; the embedded and IDX data sets are numeric.");
        }
        return new TabularSchemaOptions
        {
            CategoricalColumns = categorical,
            NumericColumns = numeric,
            MissingTokens = tokens,
            Imputation = imputation,
            MissingIndicators = parse.GetValue(MissingIndicator),
            MinCategoryCount = minCount,
            MaxCategories = maxCategories,
        };
    }

    private static string[] Names(string? list, string option)
    {
        if (list is null)
        {
            return [];
        }
        string[] names = [.. list.Split(',').Select(n => n.Trim())];
        if (names.Any(n => n.Length == 0))
        {
            throw new CliException($"{option}: '{list}' has an empty column name; give names separated by commas, e.g. job,city.");
        }
        return names;
    }
}
