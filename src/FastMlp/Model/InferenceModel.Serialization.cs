using FastMlp.Serialization;

namespace FastMlp;

public sealed partial class InferenceModel<T>
{
    /// <summary>Activation of every hidden layer.</summary>
    public Activation HiddenActivation => _network.HiddenActivation;

    /// <summary>Activation of the output layer.</summary>
    public Activation OutputActivation => _network.OutputActivation;

    /// <summary>The loss the model was trained with, if known.</summary>
    public Loss? Loss => _network.Loss;

    /// <summary>Class names, output by output, if known.</summary>
    public IReadOnlyList<string>? ClassNames => _network.ClassNames;

    /// <summary>Decision threshold of a binary model (<see cref="Mlp{T}.DecisionThreshold"/>; 0.5 unless set before freezing or saved in the file).</summary>
    public double DecisionThreshold => _network.DecisionThreshold;

    /// <summary>
    /// Saves the model (same file as <see cref="Mlp{T}.Save(string)"/>), atomically; an Int8 model is saved
    /// with its int8 weights and per-output scales (format version 2) and loads back bit-identical.
    /// </summary>
    /// <exception cref="IOException">The file cannot be written (the previous file, if any, is left as it was).</exception>
    public void Save(string path) => ModelFile<T>.Save(_network, path);

    /// <summary>Writes the model file (as <see cref="Save(string)"/>) to <paramref name="stream"/>.</summary>
    public void Save(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ModelFile<T>.Write(_network, stream);
    }

    /// <summary>
    /// Loads a model file for inference only (see <see cref="Mlp{T}.Load(string)"/>; throws
    /// <see cref="ModelFormatException"/> on any inconsistency).
    /// </summary>
    /// <exception cref="ModelFormatException">The file is not a valid model file for element type <typeparamref name="T"/>.</exception>
    /// <exception cref="FileNotFoundException"><paramref name="path"/> does not exist.</exception>
    public static InferenceModel<T> Load(string path) => ModelFile<T>.Load(path).Freeze();

    /// <summary>Loads a model file from a seekable stream; <paramref name="source"/> names it in error messages.</summary>
    public static InferenceModel<T> Load(Stream stream, string source = "stream") => ModelFile<T>.Load(stream, source).Freeze();

    /// <summary>
    /// Writes the model as ONNX (opset 13, atomically): float input <c>input</c> [batch × inputs] with a
    /// dynamic batch dimension, float output <c>output</c> [batch × outputs]; the standardizer becomes
    /// Sub + Mul nodes, each layer a Gemm and its activation. Double models are exported with float weights.
    /// An Int8 model's int8 layers become DynamicQuantizeLinear + MatMulInteger (int8 weights) + rescale + bias.
    /// A model whose <see cref="Schema"/> has categorical or missing-indicator columns takes one input per raw
    /// column instead (numeric: float [batch × 1], NaN = missing; categorical: string [batch × 1]) and encodes them
    /// in the graph (ai.onnx.ml Imputer and OneHotEncoder; unseen categories → zeros).
    /// </summary>
    /// <exception cref="IOException">The file cannot be written (the previous file, if any, is left as it was).</exception>
    /// <exception cref="NotSupportedException">A column of the model's <see cref="Schema"/> is named like a node of the graph (input, output, layers.…, tabular.…, standardize…).</exception>
    public void ExportOnnx(string path) => OnnxExport.Save(_network, path);

    /// <summary>Writes the ONNX model (as <see cref="ExportOnnx(string)"/>) to <paramref name="stream"/>.</summary>
    /// <exception cref="NotSupportedException">A column of the model's <see cref="Schema"/> is named like a node of the graph.</exception>
    public void ExportOnnx(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        stream.Write(OnnxExport.Build(_network));
    }
}
