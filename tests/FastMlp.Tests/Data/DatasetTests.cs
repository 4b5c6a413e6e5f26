using System.IO.Compression;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xunit;

namespace FastMlp.Tests.Data;

public class DatasetTests
{
    private static Dataset<double> Classes(int rows, int classes, int seed = 0)
    {
        var random = new Random(seed);
        // Feature 0 is the row number, so rows can be identified after a split.
        double[] x = Enumerable.Range(0, rows).SelectMany(r => new[] { (double)r, random.NextDouble() }).ToArray();
        int[] labels = Enumerable.Range(0, rows).Select(r => r % classes).ToArray();
        return Dataset<double>.ForClassification(x, labels, 2, classes);
    }

    private static int[] RowIds(Dataset<double> d) => Enumerable.Range(0, d.Rows).Select(r => (int)d.Features.Span[r * 2]).ToArray();

    [Property(MaxTest = 50)]
    public Property Split_parts_have_the_right_sizes_are_disjoint_and_cover_all_rows() =>
        Prop.ForAll((from rows in Gen.Choose(10, 500)
                     from a in Gen.Choose(1, 8)
                     from b in Gen.Choose(1, 8)
                     from c in Gen.Choose(1, 8)
                     from seed in Gen.Choose(0, 1000)
                     select (rows, a, b, c, seed)).ToArbitrary(), t =>
        {
            double total = t.a + t.b + t.c;
            double[] fractions = [t.a / total, t.b / total, 1 - t.a / total - t.b / total];
            Dataset<double>[] parts = Classes(t.rows, 3).Split(t.seed, fractions);
            int[][] ids = parts.Select(RowIds).ToArray();
            bool sizes = parts.Select((p, i) => Math.Abs(p.Rows - fractions[i] * t.rows) <= 1).All(x => x);
            bool cover = ids.SelectMany(x => x).Order().SequenceEqual(Enumerable.Range(0, t.rows));
            return sizes && cover;
        });

    [Fact]
    public void Split_is_stable_for_a_seed_and_differs_between_seeds()
    {
        Dataset<double> data = Classes(100, 2);
        Assert.Equal(RowIds(data.Split(7, 0.7, 0.3)[0]), RowIds(data.Split(7, 0.7, 0.3)[0]));
        Assert.NotEqual(RowIds(data.Split(7, 0.7, 0.3)[0]), RowIds(data.Split(8, 0.7, 0.3)[0]));
    }

    [Fact]
    public void Stratified_split_keeps_class_proportions()
    {
        var random = new Random(1);
        // 80 % class 0, 15 % class 1, 5 % class 2
        int[] labels = Enumerable.Range(0, 1000).Select(i => i < 800 ? 0 : i < 950 ? 1 : 2).OrderBy(_ => random.Next()).ToArray();
        var data = Dataset<double>.ForClassification(Enumerable.Range(0, 1000).Select(i => (double)i).ToArray(), labels, 1, 3);
        Dataset<double>[] parts = data.Split(3, stratify: true, 0.6, 0.2, 0.2);
        foreach (Dataset<double> part in parts)
        {
            int[] counts = new int[3];
            foreach (int label in part.Labels.Span) counts[label]++;
            Assert.Equal(0.80, counts[0] / (double)part.Rows, 2);
            Assert.Equal(0.15, counts[1] / (double)part.Rows, 2);
            Assert.Equal(0.05, counts[2] / (double)part.Rows, 2);
        }
        Assert.Equal(1000, parts.Sum(p => p.Rows));
    }

    [Theory]
    [InlineData(new[] { 0.5, 0.4 }, "sum to 1")]
    [InlineData(new[] { 0.5, 0.6 }, "sum to 1")]
    [InlineData(new[] { 0.999, 0.001 }, "would be empty")]
    [InlineData(new[] { 1.0, 0.0 }, "> 0")]
    [InlineData(new[] { 1.0 }, "at least two")]
    public void Bad_fractions_throw_naming_the_problem(double[] fractions, string message)
    {
        var ex = Assert.Throws<ArgumentException>(() => Classes(20, 2).Split(1, fractions));
        Assert.Contains(message, ex.Message);
        Assert.Equal("fractions", ex.ParamName);
    }

    [Fact]
    public void Stratifying_a_regression_dataset_is_rejected()
    {
        var data = Dataset<double>.ForRegression([1.0, 2, 3, 4], [1.0, 2, 3, 4], 1);
        Assert.Contains("regression", Assert.Throws<ArgumentException>(() => data.Split(1, true, 0.5, 0.5)).Message);
    }

    [Fact]
    public void Bad_values_are_rejected_at_construction()
    {
        Assert.Contains("row 1, column 0 is NaN", Assert.Throws<ArgumentException>(() => Dataset<double>.ForRegression([1.0, double.NaN], [1.0, 2], 1)).Message);
        Assert.Contains("row 1", Assert.Throws<ArgumentException>(() => Dataset<double>.ForRegression([1.0, 2], [1.0, double.PositiveInfinity], 1)).Message);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Dataset<double>.ForClassification([1.0, 2], [0, 3], 1, 3));
        Assert.Contains("Label of row 1 is 3", ex.Message);
        Assert.Contains("not a whole", Assert.Throws<ArgumentException>(() => Dataset<double>.ForRegression([1.0, 2, 3], [1.0], 2)).Message);
    }

    [Fact]
    public void Standardizer_centers_and_scales_and_ignores_constant_features()
    {
        var data = Dataset<double>.ForRegression([1.0, 5, 3, 5], [0.0, 0], 2);
        Standardizer<double> s = Standardizer<double>.Fit(data);
        var z = new double[4];
        s.Apply(data.Features.Span, z, 2);
        Assert.Equal([-1.0, 0, 1, 0], z);
    }

    [Fact]
    public void Idx_reader_reads_raw_and_gzip_and_reports_bad_headers()
    {
        string dir = Directory.CreateTempSubdirectory("fastmlp-idx").FullName;
        try
        {
            byte[] raw = [0, 0, 8, 2, 0, 0, 0, 2, 0, 0, 0, 3, 1, 2, 3, 4, 5, 6];
            string rawPath = Path.Combine(dir, "t.idx");
            File.WriteAllBytes(rawPath, raw);
            string gzPath = Path.Combine(dir, "t.idx.gz");
            using (var gz = new GZipStream(File.Create(gzPath), CompressionLevel.Fastest))
            {
                gz.Write(raw);
            }
            foreach (string path in new[] { rawPath, gzPath })
            {
                (int[] dims, byte[] data) = IdxReader.Read(path);
                Assert.Equal([2, 3], dims);
                Assert.Equal([1, 2, 3, 4, 5, 6], data);
            }
            File.WriteAllBytes(rawPath, raw[..15]);
            Assert.Contains("ends after 3 of 6 bytes", Assert.Throws<InvalidDataException>(() => IdxReader.Read(rawPath)).Message);
            File.WriteAllBytes(rawPath, [0, 0, 8, 1, 0xff, 0xff, 0xff, 0xff]);
            Assert.Contains("dimension 0", Assert.Throws<InvalidDataException>(() => IdxReader.Read(rawPath)).Message);
            File.WriteAllBytes(rawPath, [0, 0, 0x0d, 1, 0, 0, 0, 1, 0]);
            Assert.Contains("element type", Assert.Throws<InvalidDataException>(() => IdxReader.Read(rawPath)).Message);
            File.WriteAllBytes(rawPath, [1, 2, 3, 4]);
            Assert.Contains("not an IDX file", Assert.Throws<InvalidDataException>(() => IdxReader.Read(rawPath)).Message);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void Empty_datasets_are_rejected_at_construction()
    {
        Dataset<double> data = Classes(10, 2);
        var subset = Assert.Throws<ArgumentException>(() => data.Subset([]));
        Assert.Equal("rows", subset.ParamName);
        Assert.Contains("at least one row", subset.Message);
        var regression = Assert.Throws<ArgumentException>(() => Dataset<double>.ForRegression([], [], 3));
        Assert.Equal("features", regression.ParamName);
        Assert.Contains("at least one row", regression.Message);
        Assert.Contains("at least one row", Assert.Throws<ArgumentException>(() => Dataset<float>.ForClassification([], [], 2, 2)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => data.Slice(3, 0));
    }

    [Theory]
    [InlineData(new[] { "cat", "dog", "cat" }, "Class name 'cat' is given twice (classes 0 and 2)")]
    [InlineData(new[] { "cat", null, "dog" }, "Class name 1 is null")]
    [InlineData(new[] { "cat", "dog", "" }, "Class name 2 is ''")]
    [InlineData(new[] { " ", "dog", "cat" }, "Class name 0 is ' '")]
    public void Duplicate_null_or_empty_class_names_are_rejected_naming_the_class(string?[] names, string message)
    {
        var e = Assert.Throws<ArgumentException>(() => Dataset<float>.ForClassification([1f, 2f, 3f], [0, 1, 2], 1, 3, names!));
        Assert.Equal("classNames", e.ParamName);
        Assert.StartsWith(message, e.Message);
    }

    [Fact]
    public void Class_names_differing_only_in_case_are_distinct()
    {
        Dataset<float> data = Dataset<float>.ForClassification([1f, 2f], [0, 1], 1, 2, ["Cat", "cat"]);
        Assert.Equal(["Cat", "cat"], data.ClassNames);
    }

    [Fact]
    public void A_stratified_split_of_many_small_classes_says_the_classes_are_too_small_not_that_the_rows_are_too_few()
    {
        // 3000 classes of one row each: every class goes whole to part 0, part 1 gets nothing although 0.2 × 3000 = 600.
        var data = Dataset<double>.ForClassification(Enumerable.Range(0, 3000).Select(i => (double)i).ToArray(), Enumerable.Range(0, 3000).ToArray(), 1, 3000);
        var e = Assert.Throws<ArgumentException>(() => data.Split(1, stratify: true, 0.8, 0.2));
        Assert.Equal("fractions", e.ParamName);
        Assert.StartsWith("Stratified split: part 1 (fraction 0.2) would be empty, although 0.2 × 3000 rows = 600 overall", e.Message);
        Assert.Contains("none of the 3000 classes (the largest has 1 rows; 0.2 × 1 = 0.2)", e.Message);
        // The same cut without stratification works and gives the part its 600 rows.
        Assert.Equal(600, data.Split(1, stratify: false, 0.8, 0.2)[1].Rows);
        var plain = Assert.Throws<ArgumentException>(() => Classes(20, 2).Split(1, 0.999, 0.001));
        Assert.StartsWith("Part 1 (fraction 0.001) would be empty: 0.001 × 20 rows = 0.02 rounds to 0.", plain.Message);
    }
}
