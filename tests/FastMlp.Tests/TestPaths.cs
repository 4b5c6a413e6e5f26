namespace FastMlp.Tests;

internal static class TestPaths
{
    public static string RepositoryRoot { get; } = FindRoot();

    public static string Dataset(string name) => Path.Combine(RepositoryRoot, "src", "FastMlp.Cli", "Datasets", name);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "FastMlp.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("FastMlp.sln not found above " + AppContext.BaseDirectory);
    }
}
