using Xunit;

namespace FastMlp.Tests.Training;

/// <summary>Class weights: their text (recorded in checkpoints), resolution against the data's classes, and every refusal.</summary>
public class ClassWeightsTests
{
    private static readonly Dataset<float> ThreeClasses =
        Dataset<float>.ForClassification([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [0, 1, 1, 2, 2], 2, 3, ["low", "mid", "high"]);

    [Fact]
    public void The_text_spells_out_each_kind_of_weights_exactly()
    {
        Assert.Equal("balanced", ClassWeights.Balanced().ToString());
        Assert.Equal("[1, 0.1, 3.25]", ClassWeights.Of(1, 0.1, 3.25).ToString());
        // Names in ordinal order, whatever the dictionary's order: the text must not change between two runs.
        Assert.Equal("{B: 2, a: 0.5, b: 1E-05}",
            ClassWeights.ByName(new Dictionary<string, double> { ["b"] = 1e-5, ["a"] = 0.5, ["B"] = 2 }).ToString());
    }

    [Fact]
    public void Names_resolve_to_labels_and_unnamed_classes_weigh_1()
    {
        Assert.Equal([1.0, 4, 0.25], ClassWeights.ByName(new Dictionary<string, double> { ["high"] = 0.25, ["mid"] = 4 }).Resolve(ThreeClasses));
        Assert.Equal([0.0, 0, 2], ClassWeights.ByName(new Dictionary<string, double> { ["low"] = 0, ["mid"] = 0, ["high"] = 2 }).Resolve(ThreeClasses));
        Assert.Equal([2.0, 0, 1], ClassWeights.Of(2, 0, 1).Resolve(ThreeClasses));
        // 5 rows, 3 classes present with 1, 2, 2 rows.
        Assert.Equal([5.0 / 3, 5.0 / 6, 5.0 / 6], ClassWeights.Balanced().Resolve(ThreeClasses));
    }

    [Fact]
    public void Names_the_data_lacks_are_listed_in_order_and_all_zero_weights_are_refused()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            ClassWeights.ByName(new Dictionary<string, double> { ["zeta"] = 1, ["mid"] = 2, ["alpha"] = 3 }).Resolve(ThreeClasses));
        Assert.Equal("options.ClassWeights", e.ParamName);
        Assert.Contains("Class weights name classes the data does not have: alpha, zeta; the classes are: low, mid, high.", e.Message);

        e = Assert.Throws<ArgumentException>(() =>
            ClassWeights.ByName(new Dictionary<string, double> { ["low"] = 0, ["mid"] = 0, ["high"] = 0 }).Resolve(ThreeClasses));
        Assert.Equal("options.ClassWeights", e.ParamName);
        Assert.Contains("Every class weight is 0: nothing would be learned.", e.Message);

        e = Assert.Throws<ArgumentException>(() => ClassWeights.Of(0, 0, 0));
        Assert.Equal("weights", e.ParamName);
        Assert.Contains("Every class weight is 0", e.Message);
    }

    [Fact]
    public void One_unknown_name_is_a_class_a_regression_has_none_and_null_is_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => ClassWeights.ByName(new Dictionary<string, double> { ["top"] = 1 }).Resolve(ThreeClasses));
        Assert.Contains("Class weights name a class the data does not have: top;", e.Message);
        e = Assert.Throws<ArgumentException>(() => ClassWeights.Of(1, 2).Resolve(Dataset<float>.ForRegression([0, 1], [1, 2], 1)));
        Assert.Equal("options.ClassWeights", e.ParamName);
        Assert.Contains("ClassWeights need class labels, but the training data is a regression.", e.Message);
        Assert.Equal("weights", Assert.Throws<ArgumentNullException>(() => ClassWeights.Of(null!)).ParamName);
        Assert.Equal("weights", Assert.Throws<ArgumentNullException>(() => ClassWeights.ByName(null!)).ParamName);
    }

    [Fact]
    public void Balanced_counts_only_the_classes_present_and_gives_an_absent_class_1()
    {
        // 6 rows: "low" 4, "mid" 0, "high" 2; k = 2 classes present.
        Dataset<float> data = Dataset<float>.ForClassification(new float[12], [0, 0, 2, 0, 2, 0], 2, 3, ["low", "mid", "high"]);
        Assert.Equal([6.0 / (2 * 4), 1, 6.0 / (2 * 2)], ClassWeights.Balanced().Resolve(data));
    }

    [Fact]
    public void No_weights_at_all_are_refused_when_the_fit_starts_naming_the_class_count()
    {
        ClassWeights none = ClassWeights.Of();
        Assert.Equal("[]", none.ToString());
        var e = Assert.Throws<ArgumentException>(() => none.Resolve(ThreeClasses));
        Assert.Contains("0 class weights were given, but the training data has 3 classes (low, mid, high).", e.Message);
    }

    [Theory]
    [InlineData(-1.0)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NaN)]
    public void A_negative_or_non_finite_weight_is_refused_naming_the_class(double weight)
    {
        var e = Assert.Throws<ArgumentException>(() => ClassWeights.Of(1, weight));
        Assert.Equal("weights", e.ParamName);
        Assert.Contains("The weight of class 1 is", e.Message);
        Assert.Contains("class weights must be finite and ≥ 0.", e.Message);

        e = Assert.Throws<ArgumentException>(() => ClassWeights.ByName(new Dictionary<string, double> { ["mid"] = weight }));
        Assert.Equal("weights", e.ParamName);
        Assert.Contains($"The weight of class 'mid' is {weight}", e.Message);
        // 0 is a valid weight (the class is ignored).
        Assert.Equal("[0, 1]", ClassWeights.Of(0, 1).ToString());
    }
}
