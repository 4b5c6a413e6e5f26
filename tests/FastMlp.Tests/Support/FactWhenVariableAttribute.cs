using Xunit;

namespace FastMlp.Tests;

/// <summary>
/// A test that runs only when an environment variable is set, and otherwise shows as skipped (not as a
/// pass that did nothing). xunit 2 has no skip from inside a test; the attribute decides at discovery.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class FactWhenVariableAttribute : FactAttribute
{
    public FactWhenVariableAttribute(string variable)
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(variable)))
        {
            Skip = $"Set {variable} to run this test.";
        }
    }
}
