using Xunit;

namespace FastMlp.Tests.Data;

public class TabularSchemaTests
{
    private static readonly string[] Columns = ["age", "job", "income"];

    private static string?[][] Rows(params string?[][] rows) => rows;

    private static float[] EncodeOne(TabularSchema schema, params string?[] row)
    {
        var x = new float[schema.FeatureCount];
        schema.Encode(row, x.AsSpan());
        return x;
    }

    [Fact]
    public void Numbers_are_numeric_and_text_is_categorical()
    {
        TabularSchema schema = TabularSchema.Fit(Columns, Rows(["30", "clerk", "1.5"], ["40", "nurse", "2e3"], ["50", "clerk", "-7"]));
        Assert.Equal([ColumnKind.Numeric, ColumnKind.Categorical, ColumnKind.Numeric], schema.Columns.Select(c => c.Kind));
        Assert.Equal(["age", "job=clerk", "job=nurse", "income"], schema.FeatureNames);
        Assert.Equal([("age", 0, 1), ("job", 1, 2), ("income", 3, 1)], schema.FeatureGroups);
        Assert.Equal([40f, 0f, 1f, 2000f], EncodeOne(schema, "40", "nurse", "2000"));
        Assert.True(schema.HasEncodedColumns);
    }

    [Fact]
    public void One_text_cell_makes_the_column_categorical()
    {
        TabularSchema schema = TabularSchema.Fit(["code"], Rows(["1"], ["2"], ["x3"]));
        Assert.Equal(ColumnKind.Categorical, schema.Columns[0].Kind);
        Assert.Equal(["1", "2", "x3"], schema.Columns[0].Categories);
    }

    [Fact]
    public void Overrides_force_categorical_and_numeric_refuses_text()
    {
        TabularSchema forced = TabularSchema.Fit(["zip"], Rows(["100"], ["200"], ["100"]), new TabularSchemaOptions { CategoricalColumns = ["zip"] });
        Assert.Equal(ColumnKind.Categorical, forced.Columns[0].Kind);
        Assert.Equal([1f, 0f], EncodeOne(forced, "100"));

        var e = Assert.Throws<TabularDataException>(() =>
            TabularSchema.Fit(["n"], Rows(["1"], ["2"], ["two"]), new TabularSchemaOptions { NumericColumns = ["n"] }));
        Assert.Equal("n", e.Column);
        Assert.Equal(2, e.Row);
        Assert.Contains("'two' is not a number", e.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("NA")]
    [InlineData("N/A")]
    [InlineData("NaN")]
    [InlineData("?")]
    [InlineData("null")]
    [InlineData(" na ")]
    [InlineData("NULL")]
    public void Each_default_missing_token_is_imputed(string token)
    {
        // Mean of 2, 4, 9 is 5; the token must not turn the column categorical.
        TabularSchema schema = TabularSchema.Fit(["x"], Rows(["2"], [token], ["4"], ["9"]));
        Assert.Equal(ColumnKind.Numeric, schema.Columns[0].Kind);
        Assert.Equal(5.0, schema.Columns[0].FillValue);
        Assert.Equal([5f], EncodeOne(schema, token));
        Assert.True(schema.IsMissing(token));
    }

    [Fact]
    public void Missing_tokens_are_configurable()
    {
        var options = new TabularSchemaOptions { MissingTokens = ["-999"] };
        TabularSchema schema = TabularSchema.Fit(["x"], Rows(["1"], ["-999"], ["3"]), options);
        Assert.Equal(2.0, schema.Columns[0].FillValue);
        Assert.False(schema.IsMissing("NA"));
        // With NA no longer missing, it is text: the column becomes categorical.
        Assert.Equal(ColumnKind.Categorical, TabularSchema.Fit(["x"], Rows(["1"], ["NA"]), options).Columns[0].Kind);
    }

    [Fact]
    public void Mean_and_median_fill_values_by_hand()
    {
        string?[][] rows = Rows(["1"], ["2"], ["NA"], ["3"], ["100"]);
        // Mean (1 + 2 + 3 + 100) / 4 = 26.5; median of 1, 2, 3, 100 = (2 + 3) / 2 = 2.5.
        Assert.Equal(26.5, TabularSchema.Fit(["x"], rows).Columns[0].FillValue);
        Assert.Equal(2.5, TabularSchema.Fit(["x"], rows, new TabularSchemaOptions { Imputation = Imputation.Median }).Columns[0].FillValue);
        Assert.Equal(3.0, TabularSchema.Fit(["x"], Rows(["5"], ["3"], ["1"]), new TabularSchemaOptions { Imputation = Imputation.Median }).Columns[0].FillValue);
    }

    [Fact]
    public void Missing_indicator_follows_columns_that_had_missing_cells()
    {
        var options = new TabularSchemaOptions { MissingIndicators = true };
        TabularSchema schema = TabularSchema.Fit(["a", "b"], Rows(["1", "5"], ["?", "7"], ["3", "9"]), options);
        Assert.Equal(["a", "a (missing)", "b"], schema.FeatureNames);
        Assert.Equal([2f, 1f, 7f], EncodeOne(schema, "", "7"));
        Assert.Equal([8f, 0f, 7f], EncodeOne(schema, "8", "NA")); // b had no missing cell: imputed, no indicator
        Assert.Equal([("a", 0, 2), ("b", 2, 1)], schema.FeatureGroups);
    }

    [Fact]
    public void Categorical_missing_cells_are_their_own_category()
    {
        TabularSchema schema = TabularSchema.Fit(["job"], Rows(["clerk"], ["NA"], ["nurse"]));
        Assert.Equal(["job=clerk", "job=nurse", "job=(missing)"], schema.FeatureNames);
        Assert.Equal([0f, 0f, 1f], EncodeOne(schema, "?"));
        Assert.Equal([1f, 0f, 0f], EncodeOne(schema, "clerk"));
    }

    [Fact]
    public void Rare_categories_are_merged_into_other()
    {
        var options = new TabularSchemaOptions { MinCategoryCount = 2 };
        TabularSchema schema = TabularSchema.Fit(["c"], Rows(["a"], ["a"], ["b"], ["b"], ["b"], ["rare1"], ["rare2"]), options);
        Assert.Equal(["c=a", "c=b", "c=(other)"], schema.FeatureNames);
        Assert.Equal(["rare1", "rare2"], schema.Columns[0].RareCategories);
        Assert.Equal([0f, 0f, 1f], EncodeOne(schema, "rare2"));
        Assert.Equal([0f, 1f, 0f], EncodeOne(schema, "b"));
    }

    [Fact]
    public void Unseen_categories_encode_as_zeros_and_are_counted()
    {
        TabularSchema schema = TabularSchema.Fit(["c", "d"], Rows(["a", "x"], ["b", "y"]));
        var x = new float[schema.FeatureCount];
        x.AsSpan().Fill(9);
        Assert.Equal(2, schema.Encode(["zzz", "www"], x.AsSpan()));
        Assert.All(x, v => Assert.Equal(0f, v));
        TabularBatch<double> batch = schema.Encode<double>([["a", "x"], ["new", "y"], ["new", "other"]]);
        Assert.Equal(3, batch.UnseenCount);
        Assert.Equal(2, batch.UnseenByColumn["c"]);
        Assert.Equal(1, batch.UnseenByColumn["d"]);
        Assert.Equal([1, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0], batch.Features);
    }

    [Fact]
    public void A_text_cell_in_a_numeric_column_names_column_and_row_when_encoding()
    {
        TabularSchema schema = TabularSchema.Fit(["n", "c"], Rows(["1", "a"], ["2", "b"]));
        var e = Assert.Throws<TabularDataException>(() => schema.Encode<float>([["3", "a"], ["abc", "b"]]));
        Assert.Equal(("n", 1), (e.Column, e.Row));
        Assert.Contains("'abc' is not a number", e.Reason);
        Assert.Throws<TabularDataException>(() => schema.Encode<float>([["1e300", "a"]])); // beyond float
        Assert.Equal(1e300, schema.Encode<double>([["1e300", "a"]]).Features[0]);
    }

    [Fact]
    public void A_column_entirely_missing_is_refused()
    {
        var e = Assert.Throws<TabularDataException>(() => TabularSchema.Fit(["a", "b"], Rows(["1", ""], ["2", "NA"], ["3", "?"])));
        Assert.Equal("b", e.Column);
        Assert.Null(e.Row);
        Assert.Contains("drop the column", e.Message);
    }

    [Fact]
    public void Too_many_categories_is_refused_with_the_advice_to_drop()
    {
        string?[][] rows = [.. Enumerable.Range(0, 30).Select(i => new string?[] { $"id{i}" })];
        var e = Assert.Throws<TabularDataException>(() => TabularSchema.Fit(["id"], rows, new TabularSchemaOptions { MaxCategories = 29 }));
        Assert.Contains("30 distinct values", e.Message);
        Assert.Contains("drop the column", e.Message);
        Assert.Equal(30, TabularSchema.Fit(["id"], rows, new TabularSchemaOptions { MaxCategories = 30 }).FeatureCount);
        // The default limit is 1000.
        string?[][] many = [.. Enumerable.Range(0, 1001).Select(i => new string?[] { $"id{i}" })];
        Assert.Throws<TabularDataException>(() => TabularSchema.Fit(["id"], many));
    }

    [Fact]
    public void Bad_arguments_name_the_parameter()
    {
        Assert.Throws<ArgumentException>(() => TabularSchema.Fit(["a"], Rows(["1", "2"])));
        Assert.Throws<ArgumentException>(() => TabularSchema.Fit(["a", "a"], Rows(["1", "2"])));
        Assert.Throws<ArgumentException>(() => TabularSchema.Fit(["a"], Array.Empty<string?[]>()));
        Assert.Contains("'zz'", Assert.Throws<ArgumentException>(() => TabularSchema.Fit(["a"], Rows(["1"]), new TabularSchemaOptions { CategoricalColumns = ["zz"] })).Message);
        Assert.Throws<ArgumentException>(() => TabularSchema.Fit(["a"], Rows(["1"]), new TabularSchemaOptions { CategoricalColumns = ["a"], NumericColumns = ["a"] }));
        Assert.Throws<ArgumentOutOfRangeException>(() => TabularSchema.Fit(["a"], Rows(["1"]), new TabularSchemaOptions { MinCategoryCount = 0 }));
        TabularSchema schema = TabularSchema.Fit(["a"], Rows(["1"]));
        Assert.Throws<ArgumentException>(() => schema.Encode(["1", "2"], new float[1].AsSpan()));
        Assert.Throws<ArgumentException>(() => schema.Encode(["1"], new float[2].AsSpan()));
        Assert.Contains("'a'", Assert.Throws<ArgumentException>(() => schema.Encode(new Dictionary<string, string?> { ["b"] = "1" }, new float[1].AsSpan())).Message);
    }

    [Fact]
    public void Statistics_come_from_the_rows_given_to_fit_only()
    {
        // Fitting on the first two rows must not see the third (a category and an extreme value).
        string?[][] all = Rows(["1", "a"], ["3", "b"], ["1000", "c"]);
        TabularSchema schema = TabularSchema.Fit(["x", "c"], all[..2]);
        Assert.Equal(2.0, schema.Columns[0].FillValue);
        Assert.Equal(["a", "b"], schema.Columns[1].Categories);
        Assert.Equal(1, schema.Encode<float>(all).UnseenCount);
    }

    [Fact]
    public void Rows_by_name_and_objects_encode_like_rows_in_order()
    {
        TabularSchema schema = TabularSchema.Fit(Columns, Rows(["30", "clerk", "1.5"], ["40", "nurse", "NA"]));
        float[] expected = EncodeOne(schema, "35.5", "nurse", null);
        var byName = new float[schema.FeatureCount];
        schema.Encode(new Dictionary<string, string?> { ["income"] = "", ["job"] = "nurse", ["age"] = "35.5", ["extra"] = "x" }, byName.AsSpan());
        var byObject = new float[schema.FeatureCount];
        schema.Encode(new Dictionary<string, object?> { ["income"] = DBNull.Value, ["job"] = "nurse", ["age"] = 35.5 }, byObject.AsSpan());
        Assert.Equal(expected, byName);
        Assert.Equal(expected, byObject);
        Assert.Equal([35.5f, 0f, 1f, 1.5f], expected);
    }

    [Theory]
    [InlineData("Infinity")]
    [InlineData("-Infinity")]
    [InlineData("1e999")]
    public void A_non_finite_number_is_refused_not_taken_for_text(string value)
    {
        var e = Assert.Throws<TabularDataException>(() => TabularSchema.Fit(["x"], Rows(["1"], [value], ["2"])));
        Assert.Equal(("x", 1), (e.Column, e.Row));
        Assert.Contains("not a finite number", e.Reason);
        TabularSchema schema = TabularSchema.Fit(["x"], Rows(["1"], ["2"]));
        Assert.Contains("not a finite number", Assert.Throws<TabularDataException>(() => schema.Encode<double>([[value]])).Reason);
        // In a text column the same cell is just a category.
        Assert.Equal(ColumnKind.Categorical, TabularSchema.Fit(["x"], Rows(["a"], [value])).Columns[0].Kind);
    }

    [Fact]
    public void The_readme_library_example_runs_as_described()
    {
        string[] columns = ["age", "income", "job"];
        string?[][] trainRows = [["34", "52.0", "salaried"], ["NA", "", "unemployed"], ["51", "40.5", "retired"]];
        TabularSchema schema = TabularSchema.Fit(columns, trainRows,
            new TabularSchemaOptions { Imputation = Imputation.Median, MissingIndicators = true, MinCategoryCount = 1 });
        TabularBatch<float> encoded = schema.Encode<float>(trainRows);
        Assert.Equal([("age", 0, 2), ("income", 2, 2), ("job", 4, 3)], schema.FeatureGroups);
        Assert.Equal(3 * 7, encoded.Features.Length);
        var model = new Mlp<float>([schema.FeatureCount, 16, 2], Activation.ReLU, Activation.Softmax, seed: 1);
        model.Schema = schema;
        using InferenceModel<float> net = model.Freeze();
        var scores = new float[2];
        int unseen = net.PredictRow(new Dictionary<string, string?> { ["age"] = "40", ["income"] = "NA", ["job"] = "pilot" }, scores);
        Assert.Equal(1, unseen);
        Assert.Equal(1f, scores.Sum(), 5);
    }
}
