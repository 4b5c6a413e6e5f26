using FastMlp.Serialization;
using Xunit;

namespace FastMlp.Tests.Serialization;

public class TabularSchemaFileTests
{
    private static TabularSchema Schema() => TabularSchema.Fit(
        ["age", "job", "city"],
        [["30", "clerk", "Oslo"], ["NA", "nurse", "Rome"], ["50", "clerk", "?"], ["41", "chef", "Oslo"], ["", "clerk", "Rome"]],
        new TabularSchemaOptions { MissingIndicators = true, Imputation = Imputation.Median, MinCategoryCount = 2, MissingTokens = ["", "NA", "?", "unknown \"x\""] });

    private static Mlp<float> Model(TabularSchema schema)
    {
        Mlp<float> model = TestModels.Create<float>([schema.FeatureCount, 5, 2], Activation.Tanh, Activation.Softmax, seed: 3, standardize: true);
        model.Schema = schema;
        return model;
    }

    private static byte[] Bytes(Mlp<float> model)
    {
        var stream = new MemoryStream();
        model.Save(stream);
        return stream.ToArray();
    }

    [Fact]
    public void Schema_round_trips_through_the_model_file_and_freeze()
    {
        TabularSchema schema = Schema();
        Mlp<float> model = Model(schema);
        byte[] bytes = Bytes(model);
        Mlp<float> loaded = Mlp<float>.Load(new MemoryStream(bytes));
        Assert.NotNull(loaded.Schema);
        Assert.Equal(schema.ToJson(), loaded.Schema!.ToJson());
        Assert.Equal(schema.FeatureNames, loaded.Schema.FeatureNames);
        Assert.Equal(Imputation.Median, loaded.Schema.Imputation);
        Assert.Equal(["clerk"], loaded.Schema.Columns[1].Categories);
        Assert.Equal(["chef", "nurse"], loaded.Schema.Columns[1].RareCategories);
        Assert.Equal(41.0, loaded.Schema.Columns[0].FillValue); // median of 30, 41, 50
        using InferenceModel<float> frozen = loaded.Freeze();
        Assert.Same(loaded.Schema, frozen.Schema);
        SafeTensors file = SafeTensors.Read(new MemoryStream(bytes), "m");
        Assert.Equal("3", file.Metadata["format_version"]);
    }

    [Fact]
    public void Raw_row_predict_equals_numeric_predict_of_the_hand_encoded_row()
    {
        using InferenceModel<float> model = Mlp<float>.Load(new MemoryStream(Bytes(Model(Schema())))).Freeze();
        // Hand encoding: age missing → median 41 and indicator 1; job chef is rare → other; city Rome.
        // Features: age, age (missing), job=clerk, job=(other), city=Oslo, city=Rome, city=(missing).
        Assert.Equal(["age", "age (missing)", "job=clerk", "job=(other)", "city=Oslo", "city=Rome", "city=(missing)"], model.Schema!.FeatureNames);
        float[] hand = [41f, 1f, 0f, 1f, 0f, 1f, 0f];
        var expected = new float[2];
        model.Predict(hand, expected);
        var fromStrings = new float[2];
        Assert.Equal(0, model.PredictRow(new Dictionary<string, string?> { ["age"] = "NA", ["job"] = "chef", ["city"] = "Rome" }, fromStrings));
        var fromObjects = new float[2];
        Assert.Equal(1, model.PredictRow(new Dictionary<string, object?> { ["age"] = null, ["job"] = "pilot", ["city"] = "Rome" }, fromObjects));
        Assert.Equal(expected, fromStrings);
        var pilot = new float[2];
        model.Predict([41f, 1f, 0f, 0f, 0f, 1f, 0f], pilot);
        Assert.Equal(pilot, fromObjects);
    }

    [Fact]
    public void A_model_without_schema_refuses_raw_rows()
    {
        using InferenceModel<float> model = TestModels.Create<float>([2, 1], Activation.ReLU, Activation.Identity, 1, false).Freeze();
        Assert.Null(model.Schema);
        Assert.Throws<InvalidOperationException>(() => model.PredictRow(new Dictionary<string, string?>(), new float[1]));
    }

    [Fact]
    public void A_schema_of_the_wrong_width_is_refused()
    {
        Mlp<float> model = TestModels.Create<float>([3, 1], Activation.ReLU, Activation.Identity, 1, false);
        Assert.Throws<ArgumentException>(() => model.Schema = Schema());
    }

    public static TheoryData<string, string> Corruptions() => new()
    {
        { "{", "not valid JSON" },
        { "[]", "not a JSON object" },
        { "{\"version\":2,\"imputation\":\"Mean\",\"missing\":[],\"columns\":[]}", "schema version 2" },
        { "{\"version\":1,\"imputation\":\"Mode\",\"missing\":[],\"columns\":[]}", "'imputation' is 'Mode'" },
        { "{\"version\":1,\"imputation\":\"Mean\",\"missing\":[],\"columns\":[]}", "'columns' has 0 entries" },
        { "{\"version\":1,\"imputation\":\"Mean\",\"missing\":[],\"columns\":[{\"name\":\"a\",\"kind\":\"text\"}]}", "'kind' is 'text'" },
        { "{\"version\":1,\"imputation\":\"Mean\",\"missing\":[],\"columns\":[{\"name\":\"a\",\"kind\":\"numeric\",\"indicator\":false}]}", "lacks 'fill'" },
        { "{\"version\":1,\"imputation\":\"Mean\",\"missing\":[],\"columns\":[{\"name\":\"a\",\"kind\":\"categorical\",\"categories\":[\"x\",\"x\"],\"rare\":[],\"missing\":false}]}", "category 'x' is listed twice" },
        { "{\"version\":1,\"imputation\":\"Mean\",\"missing\":[1],\"columns\":[]}", "'missing' entry 0 is not a string" },
        { "{\"version\":1,\"imputation\":\"Mean\",\"missing\":[\"\\udc00\"],\"columns\":[]}", "schema: 'missing' entry 0 holds an escape that is not valid UTF-16 text" },
        { "{\"version\":1,\"imputation\":\"Mean\",\"missing\":[],\"columns\":[{\"name\":\"a\\ud800\",\"kind\":\"numeric\",\"fill\":1,\"indicator\":false}]}", "column 0: 'name' holds an escape that is not valid UTF-16 text" },
        { "{\"version\":1,\"imputation\":\"Mean\",\"missing\":[],\"columns\":[{\"name\":\"a\",\"kind\":\"numeric\",\"fill\":1,\"indicator\":false},{\"name\":\"a\",\"kind\":\"numeric\",\"fill\":1,\"indicator\":false}]}", "appears twice" },
        // A valid schema, but of 1 feature for a 7-input network.
        { "{\"version\":1,\"imputation\":\"Mean\",\"missing\":[],\"columns\":[{\"name\":\"a\",\"kind\":\"numeric\",\"fill\":1,\"indicator\":false}]}", "encodes 1 features, but the network has 7 inputs" },
    };

    [Theory]
    [MemberData(nameof(Corruptions))]
    public void A_corrupted_schema_is_rejected_naming_it(string json, string reason)
    {
        Mlp<float> model = Model(Schema());
        var writer = new SafeTensors.Writer();
        ModelFile<float>.AddTo(model, writer);
        writer.Metadata["tabular_schema"] = json;
        var stream = new MemoryStream();
        writer.WriteTo(stream);
        var e = Assert.Throws<ModelFormatException>(() => Mlp<float>.Load(new MemoryStream(stream.ToArray()), "m.fastmlp"));
        Assert.Contains("m.fastmlp", e.Message);
        Assert.Contains(reason, e.Message);
    }

    [Fact]
    public void A_schema_in_a_version_1_file_is_rejected()
    {
        var writer = new SafeTensors.Writer();
        ModelFile<float>.AddTo(Model(Schema()), writer);
        writer.Metadata["format_version"] = "1";
        var stream = new MemoryStream();
        writer.WriteTo(stream);
        var e = Assert.Throws<ModelFormatException>(() => Mlp<float>.Load(new MemoryStream(stream.ToArray()), "old.fastmlp"));
        Assert.Contains("'tabular_schema' needs format version 3", e.Message);
    }

    /// <summary>The input stays one tensor; its NaN cells are imputed in the graph (OnnxTabularExportTests runs them).</summary>
    [Fact]
    public void A_numeric_only_schema_exports_the_plain_numeric_input()
    {
        TabularSchema numeric = TabularSchema.Fit(["a", "b"], [["1", "2"], ["NA", "3"]]);
        Assert.False(numeric.HasEncodedColumns);
        Mlp<float> plain = TestModels.Create<float>([2, 1], Activation.ReLU, Activation.Identity, 1, false);
        plain.Schema = numeric;
        using InferenceModel<float> frozen = plain.Freeze();
        var stream = new MemoryStream();
        frozen.ExportOnnx(stream);
        using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(stream.ToArray());
        Assert.Equal(["input"], session.InputNames);
    }

    [Fact]
    public void Quantized_model_keeps_the_schema()
    {
        Mlp<float> model = Model(Schema());
        using InferenceModel<float> int8 = model.Freeze().Quantize(WeightPrecision.Int8);
        var stream = new MemoryStream();
        int8.Save(stream);
        Mlp<float> loaded = Mlp<float>.Load(new MemoryStream(stream.ToArray()));
        Assert.Equal(WeightPrecision.Int8, loaded.Precision);
        Assert.Equal(model.Schema!.ToJson(), loaded.Schema!.ToJson());
    }
}
