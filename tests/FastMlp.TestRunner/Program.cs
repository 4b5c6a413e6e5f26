using System.Reflection;
using Xunit;
using Xunit.Abstractions;
using Xunit.Sdk;

// Usage: FastMlp.TestRunner [class-name-prefix ...]
// Discovers the xunit tests of FastMlp.Tests (facts, theories, FsCheck properties) through xunit's own
// framework classes and runs those whose class name starts with one of the prefixes (all without any).
// Ends with the line "N passed, N failed, N skipped"; the exit code is 1 when a test failed or none ran.
string[] prefixes = args.Length > 0 ? args : ["FastMlp.Tests."];
Assembly assembly = typeof(FastMlp.Tests.Numerics.CpuPathTests).Assembly;
var sink = new ConsoleSink();
using var framework = new XunitTestFramework(sink);

var discovered = new DiscoverySink();
using (ITestFrameworkDiscoverer discoverer = framework.GetDiscoverer(Reflector.Wrap(assembly)))
{
    discoverer.Find(includeSourceInformation: false, discovered, new RunnerOptions());
    discovered.Done.WaitOne();
}
List<ITestCase> selected = [.. discovered.TestCases.Where(t => prefixes.Any(p => t.TestMethod.TestClass.Class.Name.StartsWith(p, StringComparison.Ordinal)))];
Console.WriteLine($"{selected.Count} of {discovered.TestCases.Count} test cases selected ({string.Join(", ", prefixes)})");

using (ITestFrameworkExecutor executor = framework.GetExecutor(assembly.GetName()))
{
    executor.RunTests(selected, sink, new RunnerOptions());
    sink.Done.WaitOne();
}
Console.WriteLine($"{sink.Passed} passed, {sink.Failed} failed, {sink.Skipped} skipped");
return sink.Failed == 0 && sink.Passed > 0 ? 0 : 1;

internal sealed class DiscoverySink : LongLivedMarshalByRefObject, IMessageSink
{
    public List<ITestCase> TestCases { get; } = [];
    public ManualResetEvent Done { get; } = new(false);

    public bool OnMessage(IMessageSinkMessage message)
    {
        if (message is ITestCaseDiscoveryMessage found)
        {
            TestCases.Add(found.TestCase);
        }
        else if (message is IDiscoveryCompleteMessage)
        {
            Done.Set();
        }
        return true;
    }
}

internal sealed class ConsoleSink : LongLivedMarshalByRefObject, IMessageSink
{
    public int Passed, Failed, Skipped;
    public ManualResetEvent Done { get; } = new(false);

    public bool OnMessage(IMessageSinkMessage message)
    {
        switch (message)
        {
            case ITestPassed:
                Interlocked.Increment(ref Passed);
                break;
            case ITestFailed failed:
                Interlocked.Increment(ref Failed);
                Console.WriteLine($"FAILED {failed.Test.DisplayName}: {string.Join(" | ", failed.Messages)}\n{string.Join("\n", failed.StackTraces)}");
                break;
            case ITestSkipped skipped:
                Interlocked.Increment(ref Skipped);
                Console.WriteLine($"skipped {skipped.Test.DisplayName}: {skipped.Reason}");
                break;
            case ITestClassFinished finished:
                Console.WriteLine($"  {finished.TestClass.Class.Name}: {finished.TestsRun} run, {finished.TestsFailed} failed ({finished.ExecutionTime:F1} s)");
                break;
            case IErrorMessage error:
                Interlocked.Increment(ref Failed);
                Console.WriteLine($"ERROR {string.Join(" | ", error.Messages)}\n{string.Join("\n", error.StackTraces)}");
                break;
            case ITestAssemblyFinished:
                Done.Set();
                break;
        }
        return true;
    }
}

/// <summary>Discovery and execution options: xunit's defaults (one value bag for both).</summary>
internal sealed class RunnerOptions : ITestFrameworkDiscoveryOptions, ITestFrameworkExecutionOptions
{
    private readonly Dictionary<string, object?> _values = new()
    {
        ["xunit.discovery.PreEnumerateTheories"] = true,
        ["xunit.execution.DisableParallelization"] = false,
    };

    public TValue GetValue<TValue>(string name) =>
        _values.TryGetValue(name, out object? value) && value is TValue typed ? typed : default!;

    public void SetValue<TValue>(string name, TValue value) => _values[name] = value;
}
