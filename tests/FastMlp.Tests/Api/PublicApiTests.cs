using PublicApiGenerator;
using Xunit;

namespace FastMlp.Tests.Api;

/// <summary>
/// The library's public API, generated from the compiled assembly, must equal the approved text committed
/// beside the sources: an accidental addition, removal or signature change fails here. After an intended
/// change run <c>FASTMLP_ACCEPT_API=1 dotnet test -c Release --filter FullyQualifiedName~PublicApiTests</c>
/// and commit the updated file (review its diff).
/// </summary>
public class PublicApiTests
{
    private static readonly string ApprovedPath = Path.Combine(TestPaths.RepositoryRoot, "src", "FastMlp", "PublicAPI.approved.txt");

    [Fact]
    public void Public_api_matches_the_approved_file()
    {
        string api = Generate();
        if (Environment.GetEnvironmentVariable("FASTMLP_ACCEPT_API") == "1")
        {
            File.WriteAllText(ApprovedPath, api);
        }
        string approved = File.Exists(ApprovedPath) ? File.ReadAllText(ApprovedPath).ReplaceLineEndings("\n") : "";
        if (approved != api)
        {
            string firstDifference = FirstDifference(approved, api);
            Assert.Fail($"The public API differs from {ApprovedPath} ({firstDifference}). If the change is intended, " +
                        "run FASTMLP_ACCEPT_API=1 dotnet test -c Release --filter FullyQualifiedName~PublicApiTests and commit the file.");
        }
    }

    [Fact]
    public void The_approved_file_lists_the_design_contract()
    {
        string api = Generate();
        Assert.Contains("public static FastMlp.Numerics.GemmPath CpuPath { get; }", api);
        Assert.Contains("public static FastMlp.Numerics.GemmPath ActivePath { get; }", api);
        Assert.Contains("public void Predict(System.ReadOnlySpan<T> inputs, System.Span<T> outputs, int batchSize = 1) { }", api);
        Assert.DoesNotContain("class GemmDispatch", api); // internals stay internal
    }

    private static string Generate() =>
        typeof(Mlp<>).Assembly.GeneratePublicApi(new ApiGeneratorOptions
        {
            // Assembly attributes (InternalsVisibleTo, target framework, repository metadata) are not API.
            ExcludeAttributes = ["System.Runtime.CompilerServices.InternalsVisibleToAttribute", "System.Runtime.Versioning.TargetFrameworkAttribute",
                                 "System.Reflection.AssemblyMetadataAttribute"],
        }).ReplaceLineEndings("\n");

    private static string FirstDifference(string approved, string api)
    {
        string[] a = approved.Split('\n'), b = api.Split('\n');
        for (int i = 0; i < Math.Max(a.Length, b.Length); i++)
        {
            string left = i < a.Length ? a[i] : "<end>", right = i < b.Length ? b[i] : "<end>";
            if (left != right)
            {
                return $"line {i + 1}: approved '{left.Trim()}', now '{right.Trim()}'";
            }
        }
        return "no line differs";
    }
}
