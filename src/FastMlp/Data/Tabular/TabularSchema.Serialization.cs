using System.Buffers;
using System.Text;
using System.Text.Json;

namespace FastMlp;

public sealed partial class TabularSchema
{
    /// <summary>The schema layout version written into model files (metadata <c>tabular_schema</c>).</summary>
    internal const int JsonVersion = 1;

    // Bounds on what a model file may declare, checked before anything is sized by it.
    private const int MaxColumns = 100_000;
    private const int MaxFeatures = 10_000_000;

    /// <summary>
    /// The schema as compact JSON: <c>{"version":1,"imputation":"Mean","missing":[…],"columns":[{"name":…,"kind":"numeric",
    /// "fill":…,"indicator":bool} | {"name":…,"kind":"categorical","categories":[…],"rare":[…],"missing":bool}]}</c>.
    /// </summary>
    internal string ToJson()
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("version", JsonVersion);
            json.WriteString("imputation", Imputation.ToString());
            WriteStrings(json, "missing", _missingTokens);
            json.WriteStartArray("columns");
            foreach (TabularColumn column in _columns)
            {
                json.WriteStartObject();
                json.WriteString("name", column.Name);
                if (column.Kind == ColumnKind.Numeric)
                {
                    json.WriteString("kind", "numeric");
                    json.WriteNumber("fill", column.FillValue);
                    json.WriteBoolean("indicator", column.HasMissingIndicator);
                }
                else
                {
                    json.WriteString("kind", "categorical");
                    WriteStrings(json, "categories", column.Categories);
                    WriteStrings(json, "rare", column.RareCategories);
                    json.WriteBoolean("missing", column.HasMissingCategory);
                }
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteStrings(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (string v in values)
        {
            json.WriteStringValue(v);
        }
        json.WriteEndArray();
    }

    /// <summary>Reads <see cref="ToJson"/>'s form back; throws <see cref="FormatException"/> naming the first problem.</summary>
    internal static TabularSchema FromJson(string text)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException e)
        {
            throw new FormatException($"not valid JSON ({e.Message})", e);
        }
        using (document)
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException("not a JSON object");
            }
            int version = Property(root, "version", JsonValueKind.Number, "schema").TryGetInt32(out int v) ? v : -1;
            if (version != JsonVersion)
            {
                throw new FormatException($"schema version {Property(root, "version", JsonValueKind.Number, "schema").GetRawText()} is not one this FastMlp reads ({JsonVersion})");
            }
            string imputationText = Text(Property(root, "imputation", JsonValueKind.String, "schema"), "schema", "'imputation'");
            if (!Enum.TryParse(imputationText, ignoreCase: false, out Imputation imputation) || !Enum.IsDefined(imputation) || imputationText != imputation.ToString())
            {
                throw new FormatException($"'imputation' is '{imputationText}', not Mean or Median");
            }
            string[] tokens = Strings(root, "missing", "schema");
            JsonElement columnsElement = Property(root, "columns", JsonValueKind.Array, "schema");
            int count = columnsElement.GetArrayLength();
            if (count < 1 || count > MaxColumns)
            {
                throw new FormatException($"'columns' has {count} entries; a schema has 1 to {MaxColumns}");
            }
            var columns = new TabularColumn[count];
            long features = 0;
            int c = 0;
            foreach (JsonElement element in columnsElement.EnumerateArray())
            {
                columns[c] = ReadColumn(element, c);
                features += columns[c].FeatureCount;
                c++;
            }
            if (features > MaxFeatures)
            {
                throw new FormatException($"the columns encode {features} features, more than {MaxFeatures}");
            }
            try
            {
                return new TabularSchema(columns, tokens, imputation);
            }
            catch (ArgumentException e)
            {
                throw new FormatException(e.Message.Split(" (Parameter")[0], e);
            }
        }
    }

    private static TabularColumn ReadColumn(JsonElement element, int index)
    {
        string where = $"column {index}";
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"{where} is not a JSON object");
        }
        string name = Text(Property(element, "name", JsonValueKind.String, where), where, "'name'");
        where = $"column {index} ('{name}')";
        string kind = Text(Property(element, "kind", JsonValueKind.String, where), where, "'kind'");
        switch (kind)
        {
            case "numeric":
                double fill = Property(element, "fill", JsonValueKind.Number, where).GetDouble();
                if (!double.IsFinite(fill))
                {
                    throw new FormatException($"{where}: 'fill' is not a finite number");
                }
                bool indicator = Boolean(element, "indicator", where);
                return new TabularColumn(name, ColumnKind.Numeric, fill, indicator, [], [], false);
            case "categorical":
                string[] categories = Strings(element, "categories", where);
                string[] rare = Strings(element, "rare", where);
                bool missing = Boolean(element, "missing", where);
                if (categories.Length + rare.Length == 0)
                {
                    throw new FormatException($"{where}: a categorical column has no categories");
                }
                string? duplicate = categories.Concat(rare).GroupBy(s => s, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1)?.Key;
                if (duplicate is not null)
                {
                    throw new FormatException($"{where}: category '{duplicate}' is listed twice");
                }
                return new TabularColumn(name, ColumnKind.Categorical, 0, false, categories, rare, missing);
            default:
                throw new FormatException($"{where}: 'kind' is '{kind}', not numeric or categorical");
        }
    }

    private static JsonElement Property(JsonElement element, string name, JsonValueKind kind, string where)
    {
        if (!element.TryGetProperty(name, out JsonElement value))
        {
            throw new FormatException($"{where} lacks '{name}'");
        }
        if (value.ValueKind != kind)
        {
            throw new FormatException($"{where}: '{name}' is a JSON {value.ValueKind.ToString().ToLowerInvariant()}, not a {kind.ToString().ToLowerInvariant()}");
        }
        return value;
    }

    /// <summary>A JSON string's text; an escape that is not valid UTF-16 (a lone surrogate such as \ud800) is a <see cref="FormatException"/>.</summary>
    private static string Text(JsonElement value, string where, string what)
    {
        try
        {
            return value.GetString()!;
        }
        catch (InvalidOperationException)
        {
            throw new FormatException($"{where}: {what} holds an escape that is not valid UTF-16 text (a lone surrogate)");
        }
    }

    private static bool Boolean(JsonElement element, string name, string where)
    {
        if (!element.TryGetProperty(name, out JsonElement value) || value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            throw new FormatException($"{where}: '{name}' is missing or not true/false");
        }
        return value.GetBoolean();
    }

    private static string[] Strings(JsonElement element, string name, string where)
    {
        JsonElement array = Property(element, name, JsonValueKind.Array, where);
        var values = new string[array.GetArrayLength()];
        int i = 0;
        foreach (JsonElement item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                throw new FormatException($"{where}: '{name}' entry {i} is not a string");
            }
            values[i] = Text(item, where, $"'{name}' entry {i}");
            i++;
        }
        return values;
    }
}
