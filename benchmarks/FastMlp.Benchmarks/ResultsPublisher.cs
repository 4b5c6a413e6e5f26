namespace FastMlp.Benchmarks;

internal static class ResultsPublisher
{
    public static int Run(string[] args) => 0;
}
