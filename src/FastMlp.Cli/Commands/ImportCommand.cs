using System.CommandLine;
using FastMlp.Cli.Options;

namespace FastMlp.Cli.Commands;

/// <summary>
/// <c>fastmlp import --safetensors state.safetensors --activation relu --output softmax --out m.fastmlp</c>: a network
/// trained in PyTorch (the state_dict of an nn.Sequential of Linear layers) as a FastMlp model file.
/// </summary>
internal static class ImportCommand
{
    public static readonly string[] OutputActivations = ["softmax", "sigmoid", "identity", "tanh", "relu", "leakyrelu"];

    public static Command Create(CliContext cli)
    {
        var safetensors = new Option<string>("--safetensors")
        {
            Description = "The state_dict of a PyTorch nn.Sequential of Linear layers, saved with safetensors.torch.save_file.",
            Required = true,
        };
        var activation = new Option<string>("--activation")
        {
            Description = "The activation modules between the Linear layers (the file does not record them): relu | leakyrelu | tanh | sigmoid | identity.",
            Required = true,
        };
        var output = new Option<string>("--output")
        {
            Description = "The activation after the last layer: softmax (a classifier trained on logits) | sigmoid | identity | tanh | relu | leakyrelu.",
            Required = true,
        };
        var outPath = new Option<string>("--out") { Description = "Where to write the FastMlp model file.", Required = true };
        var classNames = new Option<string?>("--class-names")
        {
            Description = "Class names, one per output (two for a single sigmoid output), comma-separated: predict then prints names and probabilities.",
        };
        var command = new Command("import", """
            Import a network trained in PyTorch: the state_dict of an nn.Sequential of Linear layers (with activation
            modules between them) saved in the safetensors format, F32, F16 or BF16. Weights are rounded to float.
            The model file records cross-entropy as its loss when class names are given, MSE otherwise (for evaluate).

            In Python:
              from safetensors.torch import save_file
              save_file(model.state_dict(), "state.safetensors")

            Examples:
              fastmlp import --safetensors state.safetensors --activation relu --output softmax --out m.fastmlp --class-names setosa,versicolor,virginica
              fastmlp import --safetensors regressor.safetensors --activation tanh --output identity --out r.fastmlp
            """);
        foreach (Option option in new Option[] { safetensors, activation, output, outPath, classNames })
        {
            command.Options.Add(option);
        }
        command.SetAction(parse =>
        {
            CliOutput console = cli.OutputFor(parse);
            string source = parse.GetValue(safetensors)!, target = parse.GetValue(outPath)!;
            using var outputs = new OutputFiles(cli.Cancellation);
            outputs.Plan("--out", target);
            Activation hidden = OptionParsing.Activation(parse.GetValue(activation)!);
            Activation last = OutputActivation(parse.GetValue(output)!);
            string[]? names = ClassNames(parse.GetValue(classNames));
            Mlp<float> network = Load(source, hidden, last);
            Describe(network, names);
            outputs.Write(target, network.Save);
            outputs.Commit();
            string sizes = string.Join('-', network.LayerSizes.ToArray());
            console.Essential($"Wrote {target}: {sizes}, {hidden} between layers, {last} output, {network.ParameterCount:N0} parameters"
                              + (names is null ? "" : $", classes {string.Join(", ", names)}"));
            console.JsonResult(new ImportJson(source, target, network.LayerSizes.ToArray(), hidden.ToString(), last.ToString(), network.ParameterCount, names));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Activation OutputActivation(string name) =>
        name.Equals("softmax", StringComparison.OrdinalIgnoreCase) ? Activation.Softmax
        : OutputActivations.Contains(name.ToLowerInvariant()) ? OptionParsing.Activation(name, "--output")
        : throw new CliException($"--output: unknown activation '{name}'; choose one of {string.Join(", ", OutputActivations)}.");

    private static string[]? ClassNames(string? text)
    {
        if (text is null)
        {
            return null;
        }
        string[] names = text.Split(',', StringSplitOptions.TrimEntries);
        if (names.Any(n => n.Length == 0))
        {
            throw new CliException($"--class-names: '{text}' has an empty name; write names like cat,dog,bird.");
        }
        if (names.GroupBy(n => n, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } repeated)
        {
            throw new CliException($"--class-names: '{repeated.Key}' appears more than once in '{text}'.");
        }
        return names;
    }

    private static Mlp<float> Load(string path, Activation hidden, Activation output)
    {
        if (!File.Exists(path))
        {
            throw new CliException($"--safetensors: {path}: file not found.");
        }
        try
        {
            return Mlp<float>.ImportPyTorch(path, hidden, output);
        }
        catch (ModelFormatException e)
        {
            throw new CliException($"--safetensors: {e.Message.ReplaceLineEndings(" ")}");
        }
        catch (IOException e)
        {
            throw new CliException($"--safetensors: cannot read {path} ({e.Message.ReplaceLineEndings(" ")}).");
        }
    }

    /// <summary>Class names and the loss evaluate scores with; names must fit the outputs and the output activation.</summary>
    private static void Describe(Mlp<float> network, string[]? names)
    {
        int outputs = network.OutputCount;
        if (names is null)
        {
            network.Loss = Loss.MeanSquaredError;
            return;
        }
        bool softmax = network.OutputActivation == Activation.Softmax && names.Length == outputs && outputs >= 2;
        bool sigmoid = network.OutputActivation == Activation.Sigmoid && outputs == 1 && names.Length == 2;
        if (!softmax && !sigmoid)
        {
            throw new CliException($"--class-names: {names.Length} names for a model with {outputs} output{(outputs == 1 ? "" : "s")} " +
                                   $"and a {network.OutputActivation} output; give one name per output with --output softmax, or two names for one output with --output sigmoid.");
        }
        network.ClassNames = names;
        network.Loss = softmax ? Loss.SoftmaxCrossEntropy : Loss.BinaryCrossEntropy;
    }
}
