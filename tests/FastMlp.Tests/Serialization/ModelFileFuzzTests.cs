using FastMlp.Serialization;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xunit;

namespace FastMlp.Tests.Serialization;

/// <summary>
/// The loader against damaged and hostile files: every outcome must be a loaded model or a
/// <see cref="ModelFormatException"/> — never another exception, a hang or a huge allocation.
/// </summary>
public class ModelFileFuzzTests
{
    private static readonly byte[] ModelBytes = TestModels.SmallModelFile();
    private static readonly int DataStart = 8 + (int)BitConverter.ToUInt64(ModelBytes, 0);

    private static void Load(byte[] bytes) => Mlp<float>.Load(new MemoryStream(bytes), "fuzz");

    /// <summary>True when loading succeeds or fails with a ModelFormatException; any other exception escapes.</summary>
    private static bool LoadsOrRejects(byte[] bytes)
    {
        try
        {
            Load(bytes);
            return true;
        }
        catch (ModelFormatException)
        {
            return true;
        }
    }

    /// <summary>A model file that carries a column schema (metadata 'tabular_schema'), fuzzed like the plain one.</summary>
    private static readonly byte[] SchemaModelBytes = TestModels.SmallSchemaModelFile();

    private static readonly string SchemaJson = TestModels.SmallSchemaModel().Schema!.ToJson();

    /// <summary>
    /// Like <see cref="LoadsOrRejects"/>, and a model that loads must also encode a row: every cell missing, which any
    /// valid schema encodes (fill values, missing categories or zeros) without an error.
    /// </summary>
    private static bool SchemaLoadsOrRejects(byte[] bytes)
    {
        Mlp<float> model;
        try
        {
            model = Mlp<float>.Load(new MemoryStream(bytes), "fuzz");
        }
        catch (ModelFormatException)
        {
            return true;
        }
        if (model.Schema is { } schema)
        {
            using InferenceModel<float> frozen = model.Freeze();
            frozen.PredictRow(schema.ColumnNames.ToDictionary(c => c, _ => (string?)null), new float[model.OutputCount]);
        }
        return true;
    }

    [Fact]
    public void The_intact_file_loads() => Load(ModelBytes);

    [Fact]
    public void The_intact_schema_file_loads_with_its_schema()
    {
        Mlp<float> model = Mlp<float>.Load(new MemoryStream(SchemaModelBytes), "fuzz");
        Assert.Equal(SchemaJson, model.Schema!.ToJson());
        Assert.Equal(SchemaJson, Mlp<float>.Load(new MemoryStream(TestModels.SmallSchemaModelFile(SchemaJson)), "fuzz").Schema!.ToJson());
        Assert.True(SchemaLoadsOrRejects(SchemaModelBytes));
    }

    [Theory]
    [InlineData("class_names", "[\"a\",\"\\ud800\"]", "metadata 'class_names' holds a string that is not valid UTF-16 text")]
    [InlineData("feature_names", "[\"\\udfff\"]", "metadata 'feature_names' holds a string that is not valid UTF-16 text")]
    [InlineData("feature_names", "{}", "metadata 'feature_names' is not a JSON array of strings")]
    [InlineData("tabular_schema", "{\"version\":1,\"imputation\":\"Mean\\ud800\",\"missing\":[],\"columns\":[]}", "metadata 'tabular_schema': schema: 'imputation' holds an escape that is not valid UTF-16 text")]
    public void A_lone_surrogate_or_a_wrong_kind_in_metadata_json_is_rejected_naming_the_key(string key, string json, string reason)
    {
        var writer = new SafeTensors.Writer();
        ModelFile<float>.AddTo(TestModels.SmallSchemaModel(), writer);
        writer.Metadata[key] = json;
        var stream = new MemoryStream();
        writer.WriteTo(stream);
        var e = Assert.Throws<ModelFormatException>(() => Load(stream.ToArray()));
        Assert.Contains(reason, e.Message);
    }

    [Fact]
    public void Every_truncation_of_the_schema_file_is_rejected()
    {
        for (int length = 0; length < SchemaModelBytes.Length; length++)
        {
            Assert.Throws<ModelFormatException>(() => Load(SchemaModelBytes.AsSpan(0, length).ToArray()));
        }
    }

    [Property(MaxTest = 300)]
    public Property Random_damage_to_a_schema_file_loads_or_is_rejected_never_crashes() =>
        Prop.ForAll(DamageOf(SchemaModelBytes).ToArbitrary(), bytes => SchemaLoadsOrRejects(bytes));

    /// <summary>
    /// Damage to the schema's JSON text inside an otherwise valid file (the header re-encoded, so the damage reaches the
    /// schema reader instead of breaking the header's JSON first).
    /// </summary>
    [Property(MaxTest = 500)]
    public Property Damaged_schema_json_loads_or_is_rejected_never_crashes() =>
        Prop.ForAll(SchemaJsonDamage.ToArbitrary(), bytes => SchemaLoadsOrRejects(bytes));

    [Fact]
    public void Every_truncation_is_rejected()
    {
        for (int length = 0; length < ModelBytes.Length; length++)
        {
            Assert.Throws<ModelFormatException>(() => Load(ModelBytes.AsSpan(0, length).ToArray()));
        }
    }

    [Fact]
    public void Trailing_bytes_are_rejected()
    {
        Assert.Throws<ModelFormatException>(() => Load([.. ModelBytes, 0]));
    }

    [Theory]
    [InlineData(0ul)]
    [InlineData(1ul)]
    [InlineData(7ul)]
    [InlineData(100_000_001ul)]
    [InlineData(ulong.MaxValue)]
    [InlineData(long.MaxValue)]
    [InlineData(0x8000_0000ul)]
    public void Header_length_lies_are_rejected(ulong length)
    {
        byte[] bytes = (byte[])ModelBytes.Clone();
        BitConverter.TryWriteBytes(bytes.AsSpan(0, 8), length);
        Assert.Throws<ModelFormatException>(() => Load(bytes));
    }

    [Fact]
    public void Header_length_off_by_a_little_is_rejected()
    {
        ulong real = BitConverter.ToUInt64(ModelBytes, 0);
        foreach (int delta in new[] { -9, -8, -1, 1, 8, 9, 64 })
        {
            byte[] bytes = (byte[])ModelBytes.Clone();
            BitConverter.TryWriteBytes(bytes.AsSpan(0, 8), (ulong)((long)real + delta));
            Assert.Throws<ModelFormatException>(() => Load(bytes));
        }
    }

    public static TheoryData<string, string, int, string> Malformed() => new()
    {
        // weight entry, bias entry, data bytes, expected words in the message
        { "{\"dtype\":\"F32\",\"shape\":[1,2],\"data_offsets\":[0,8]}", "{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}", 12, "" },
        { "{\"dtype\":\"F32\",\"shape\":[1,2],\"data_offsets\":[0,8]}", "{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,1000000000]}", 12, "data_offsets" },
        { "{\"dtype\":\"F32\",\"shape\":[1,2],\"data_offsets\":[0,8]}", "{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[12,16]}", 16, "belong to no tensor" },
        { "{\"dtype\":\"F32\",\"shape\":[1,2],\"data_offsets\":[0,8]}", "{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}", 12, "overlap" },
        { "{\"dtype\":\"F32\",\"shape\":[1,2],\"data_offsets\":[0,8]}", "{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}", 16, "cover" },
        { "{\"dtype\":\"F32\",\"shape\":[1,2],\"data_offsets\":[8,0]}", "{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}", 12, "end before" },
        { "{\"dtype\":\"F32\",\"shape\":[1,2],\"data_offsets\":[0,8]}", "{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[8,16]}", 16, "F64" },
        { "{\"dtype\":\"BF16\",\"shape\":[1,2],\"data_offsets\":[0,4]}", "{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}", 8, "BF16" },
        { "{\"dtype\":\"I64\",\"shape\":[1,1],\"data_offsets\":[0,8]}", "{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}", 12, "I64" },
        { "{\"dtype\":\"F32\",\"shape\":[2,1],\"data_offsets\":[0,8]}", "{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}", 12, "shape" },
        { "{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296,4294967296],\"data_offsets\":[0,8]}", "{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}", 12, "absurd" },
        { "{\"dtype\":\"F32\",\"shape\":[9223372036854775807],\"data_offsets\":[0,8]}", "{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}", 12, "absurd" },
        { "{\"dtype\":\"F32\",\"shape\":[-1,2],\"data_offsets\":[0,8]}", "{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}", 12, "non-negative" },
        { "{\"dtype\":\"F32\",\"shape\":[1,2],\"data_offsets\":[0,8,12]}", "{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}", 12, "data_offsets" },
        { "{\"dtype\":\"F32\",\"shape\":[1,2]}", "{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}", 12, "lacks" },
        { "{\"dtype\":\"F32\",\"shape\":[1,2],\"data_offsets\":[0,8],\"dtype\":\"F32\"}", "{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}", 12, "repeated" },
        { "{\"dtype\":\"F32\",\"shape\":[1,2],\"data_offsets\":[0,1e3]}", "{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}", 12, "integer" },
        { "{\"dtype\":\"F32\",\"shape\":[[[[1]]]],\"data_offsets\":[0,8]}", "{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}", 12, "" },
        { "[1,2]", "{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}", 12, "" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Malformed_tensor_tables_are_rejected_with_a_reason(string weight, string bias, int dataBytes, string reason)
    {
        byte[] bytes = RawSafeTensors.Model(weight, bias, dataBytes);
        if (reason == "" && weight.Contains("[0,8]}") && dataBytes == 12 && !weight.Contains("[["))
        {
            Load(bytes); // the control case: a valid hand-built file
            return;
        }
        var e = Assert.Throws<ModelFormatException>(() => Load(bytes));
        Assert.StartsWith("fuzz: ", e.Message);
        Assert.Contains(reason, e.Message);
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("{")]
    [InlineData("{}")]
    [InlineData("{\"__metadata__\":{}}")]
    [InlineData("{\"__metadata__\":{\"format\":\"other\"}}")]
    [InlineData("{\"__metadata__\":{\"format\":\"fastmlp\",\"format_version\":\"2\"}}")]
    [InlineData("{\"__metadata__\":{\"format\":\"fastmlp\",\"format_version\":\"1\",\"layer_sizes\":\"2\",\"hidden_activation\":\"ReLU\",\"output_activation\":\"Identity\"}}")]
    [InlineData("{\"__metadata__\":{\"format\":\"fastmlp\",\"format_version\":\"1\",\"layer_sizes\":\"2000000000,2000000000\",\"hidden_activation\":\"ReLU\",\"output_activation\":\"Identity\"}}")]
    [InlineData("{\"__metadata__\":{\"format\":\"fastmlp\",\"format_version\":\"1\",\"layer_sizes\":\"2,1\",\"hidden_activation\":\"7\",\"output_activation\":\"Identity\"}}")]
    [InlineData("{\"__metadata__\":{\"format\":1}}")]
    [InlineData("{\"__metadata__\":{\"a\":\"1\",\"a\":\"2\"}}")]
    [InlineData("{\"__metadata__\":{\"a\":{\"b\":{\"c\":{\"d\":{}}}}}}")]
    [InlineData("{\"x\":1}")]
    [InlineData("{} trailing")]
    public void Malformed_headers_are_rejected(string header)
    {
        Assert.Throws<ModelFormatException>(() => Load(RawSafeTensors.Build(header, 0)));
    }

    [Fact]
    public void Deep_nesting_hits_the_depth_limit_promptly()
    {
        string header = "{\"a\":" + new string('[', 100_000) + new string(']', 100_000) + "}";
        Assert.Throws<ModelFormatException>(() => Load(RawSafeTensors.Build(header, 0)));
    }

    [Fact]
    public void Non_finite_weights_are_rejected()
    {
        byte[] bytes = RawSafeTensors.Model("{\"dtype\":\"F32\",\"shape\":[1,2],\"data_offsets\":[0,8]}", "{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}");
        BitConverter.TryWriteBytes(bytes.AsSpan(bytes.Length - 4), float.NaN);
        var e = Assert.Throws<ModelFormatException>(() => Load(bytes));
        Assert.Contains("layers.0.bias", e.Message);
    }

    [Property(MaxTest = 300)]
    public Property Flipping_data_bytes_is_always_detected() =>
        Prop.ForAll(Gen.Choose(DataStart, ModelBytes.Length - 1).Zip(Gen.Choose(1, 255)).ToArbitrary(), t =>
        {
            byte[] bytes = (byte[])ModelBytes.Clone();
            bytes[t.Item1] ^= (byte)t.Item2;
            return Throws(bytes);
        });

    [Property(MaxTest = 300)]
    public Property Random_damage_loads_or_is_rejected_never_crashes() =>
        Prop.ForAll(Damage.ToArbitrary(), bytes => LoadsOrRejects(bytes));

    /// <summary>
    /// The long fuzz run, on demand: FASTMLP_FUZZ_ITERATIONS=1000000 dotnet test -c Release --filter FullyQualifiedName~LongFuzz
    /// (reported as skipped when the variable is unset).
    /// </summary>
    [FactWhenVariable("FASTMLP_FUZZ_ITERATIONS")]
    public void LongFuzz()
    {
        string? value = Environment.GetEnvironmentVariable("FASTMLP_FUZZ_ITERATIONS");
        Assert.True(int.TryParse(value, out int iterations) && iterations > 0, $"FASTMLP_FUZZ_ITERATIONS must be a positive count, but was '{value}'.");
        Prop.ForAll(Damage.ToArbitrary(), bytes => LoadsOrRejects(bytes))
            .Check(Config.QuickThrowOnFailure.WithMaxTest(iterations).WithQuietOnSuccess(true));
        Prop.ForAll(DamageOf(Int8ModelFileTests.SmallInt8File()).ToArbitrary(), bytes => Int8ModelFileTests.LoadsOrRejects(bytes))
            .Check(Config.QuickThrowOnFailure.WithMaxTest(iterations).WithQuietOnSuccess(true));
        Prop.ForAll(DamageOf(SchemaModelBytes).ToArbitrary(), bytes => SchemaLoadsOrRejects(bytes))
            .Check(Config.QuickThrowOnFailure.WithMaxTest(iterations).WithQuietOnSuccess(true));
        Prop.ForAll(SchemaJsonDamage.ToArbitrary(), bytes => SchemaLoadsOrRejects(bytes))
            .Check(Config.QuickThrowOnFailure.WithMaxTest(iterations).WithQuietOnSuccess(true));
    }

    /// <summary>The schema file with its 'tabular_schema' JSON damaged: characters replaced, inserted or deleted, spans moved, numbers and words swapped.</summary>
    private static Gen<byte[]> SchemaJsonDamage { get; } =
        Gen.Choose(0, 5).SelectMany(kind => Gen.Choose(0, int.MaxValue).Select(seed => TestModels.SmallSchemaModelFile(MutateJson(SchemaJson, kind, seed))));

    private const string JsonCharacters = "{}[]\",:0123456789-+.eE \\/ntrufalsebüx";

    private static readonly string[] JsonWords =
    [
        "\"numeric\"", "\"categorical\"", "true", "false", "null", "\"Mean\"", "\"Median\"", "1e999", "-1e999", "1e-400", "-0", "99999999999999999999",
        "[]", "{}", "\"\"", "\"\\u0000\"", "\"\\ud800\"", "1", "0", "2", "1.5", "\"x\"",
    ];

    private static string MutateJson(string json, int kind, int seed)
    {
        var random = new Random(seed);
        int at = random.Next(json.Length);
        switch (kind)
        {
            case 0: // replace 1–3 characters by JSON-ish ones
                {
                    char[] c = json.ToCharArray();
                    for (int i = 0; i <= random.Next(3); i++)
                    {
                        c[random.Next(c.Length)] = JsonCharacters[random.Next(JsonCharacters.Length)];
                    }
                    return new string(c);
                }
            case 1: // insert one
                return json.Insert(at, JsonCharacters[random.Next(JsonCharacters.Length)].ToString());
            case 2: // delete a span
                return json.Remove(at, Math.Min(json.Length - at, 1 + random.Next(24)));
            case 3: // copy a span elsewhere (duplicated keys, columns, categories)
                {
                    int length = Math.Min(json.Length - at, 1 + random.Next(60));
                    return json.Insert(random.Next(json.Length), json.Substring(at, length));
                }
            case 4: // a word, number or literal replaced by another
                {
                    string from = JsonWords[random.Next(JsonWords.Length)];
                    int found = json.IndexOf(from, at, StringComparison.Ordinal);
                    found = found >= 0 ? found : json.IndexOf(from, StringComparison.Ordinal);
                    string to = JsonWords[random.Next(JsonWords.Length)];
                    return found >= 0 ? string.Concat(json.AsSpan(0, found), to, json.AsSpan(found + from.Length)) : json.Insert(at, to);
                }
            default: // a value after a colon replaced by another literal
                {
                    int colon = json.IndexOf(':', at);
                    colon = colon >= 0 ? colon : json.IndexOf(':', StringComparison.Ordinal);
                    int end = colon + 1;
                    int depth = 0;
                    while (end < json.Length && !(depth == 0 && json[end] is ',' or '}' or ']'))
                    {
                        depth += json[end] is '[' or '{' ? 1 : json[end] is ']' or '}' ? -1 : 0;
                        end++;
                    }
                    return string.Concat(json.AsSpan(0, colon + 1), JsonWords[random.Next(JsonWords.Length)], json.AsSpan(end));
                }
        }
    }

    private static bool Throws(byte[] bytes)
    {
        try
        {
            Load(bytes);
            return false;
        }
        catch (ModelFormatException)
        {
            return true;
        }
    }

    /// <summary>Damaged copies of the small model file: byte flips, truncation, insertion, deletion, header-length and digit edits.</summary>
    private static Gen<byte[]> Damage { get; } = DamageOf(ModelBytes);

    /// <summary>Damaged copies of <paramref name="file"/> (any safetensors file).</summary>
    internal static Gen<byte[]> DamageOf(byte[] file) =>
        Gen.Choose(0, 5).SelectMany(kind => Gen.Choose(0, int.MaxValue).Select(seed => Mutate(file, kind, seed)));

    private static byte[] Mutate(byte[] f, int kind, int seed)
    {
        var random = new Random(seed);
        int[] r = [random.Next(), random.Next(), random.Next(), random.Next()];
        int dataStart = 8 + (int)Math.Min(BitConverter.ToUInt64(f, 0), (ulong)f.Length - 8);
        int at = r[0] % f.Length;
        switch (kind)
        {
            case 0: // flip 1–4 random bytes
                {
                    byte[] b = (byte[])f.Clone();
                    for (int i = 0; i <= r[1] % 4; i++)
                    {
                        b[random.Next(b.Length)] ^= (byte)(1 + random.Next(255));
                    }
                    return b;
                }
            case 1:
                return f.AsSpan(0, at).ToArray();
            case 2:
                return [.. f.AsSpan(0, at), (byte)r[1], .. f.AsSpan(at)];
            case 3:
                return [.. f.AsSpan(0, at), .. f.AsSpan(Math.Min(f.Length, at + 1 + r[1] % 16))];
            case 4: // lie about the header length
                {
                    byte[] b = (byte[])f.Clone();
                    ulong lie = (r[1] % 3) switch { 0 => (ulong)r[2], 1 => (ulong)r[2] << 32 | (uint)r[3], _ => BitConverter.ToUInt64(f, 0) + (ulong)(r[2] % 17) - 8 };
                    BitConverter.TryWriteBytes(b.AsSpan(0, 8), lie);
                    return b;
                }
            default: // replace a digit of the header (shapes, offsets, sizes) by another digit or by a long number
                {
                    byte[] b = (byte[])f.Clone();
                    int headerEnd = dataStart;
                    for (int i = 0; i < headerEnd - 8; i++)
                    {
                        int p = 8 + (at + i) % (headerEnd - 8);
                        if (b[p] is >= (byte)'0' and <= (byte)'9')
                        {
                            if (r[1] % 4 == 0)
                            {
                                return [.. b.AsSpan(0, p), .. "99999999999"u8, .. b.AsSpan(p + 1)];
                            }
                            b[p] = (byte)('0' + r[2] % 10);
                            return b;
                        }
                    }
                    return b;
                }
        }
    }
}
