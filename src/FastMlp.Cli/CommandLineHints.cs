using System.CommandLine;

namespace FastMlp.Cli;

/// <summary>Friendlier parse errors: a mistyped command or option gets the nearest valid name suggested.</summary>
internal static class CommandLineHints
{
    /// <summary>A message for the first problem of <paramref name="parse"/>, or null to keep the parser's own.</summary>
    public static string? Describe(ParseResult parse)
    {
        Command command = parse.CommandResult.Command;
        string[] commands = [.. command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name)];
        if (parse.UnmatchedTokens.Count > 0)
        {
            string token = parse.UnmatchedTokens[0];
            if (token.StartsWith('-'))
            {
                IEnumerable<Option> options = command.Options.Concat(parse.RootCommandResult.Command.Options.Where(o => o.Recursive));
                string[] names = [.. options.SelectMany(o => o.Aliases.Prepend(o.Name)).Distinct()];
                return Nearest(token, names) is { } option
                    ? $"unknown option '{token}'; did you mean '{option}'?"
                    : $"unknown option '{token}'";
            }
            if (commands.Length > 0)
            {
                string what = command is RootCommand ? "command" : $"'{command.Name}' subcommand";
                return Nearest(token, commands) is { } near
                    ? $"unknown {what} '{token}'; did you mean '{near}'?"
                    : $"unknown {what} '{token}'; choose one of {string.Join(", ", commands)}";
            }
            return null;
        }
        if (commands.Length > 0 && command.Action is null)
        {
            return $"no command given; choose one of {string.Join(", ", commands)}";
        }
        return null;
    }

    /// <summary>The candidate closest to <paramref name="typed"/> in edit distance, if close enough to be a typo.</summary>
    public static string? Nearest(string typed, IEnumerable<string> candidates)
    {
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (string candidate in candidates)
        {
            int d = Distance(typed.ToLowerInvariant(), candidate.ToLowerInvariant());
            if (d < bestDistance)
            {
                (best, bestDistance) = (candidate, d);
            }
        }
        // A typo changes a few characters; a word that shares little with every name is not one.
        return best is not null && bestDistance <= Math.Max(2, typed.Length / 3) ? best : null;
    }

    /// <summary>Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps.</summary>
    public static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (int j = 0; j <= b.Length; j++) d[0, j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }
        return d[a.Length, b.Length];
    }
}
